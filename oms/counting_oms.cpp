#include "oms/counting_oms.hpp"

namespace polybot::oms {

void CountingOms::on_input(const Envelope& in, const Clock& /*clock*/, Emitter& /*out*/) noexcept {
  if (!in.is<OrderRequest>()) return;
  const OrderRequest& r = in.as<OrderRequest>();
  (r.side == Side::kBuy ? buys_ : sells_) += 1;
  notional_ += r.amount.raw != 0 ? r.amount : polybot::notional(r.price, r.size);
}

}  // namespace polybot::oms
