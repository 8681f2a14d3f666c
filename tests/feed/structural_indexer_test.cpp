// polybot's stage 1 against the library's, on the same bytes: same status, same token positions, same sentinels.
// Inputs: every real fixture, the captured Binance streams, and mutations and random texts built to hit block
// boundaries, backslash runs, unclosed strings, control characters and the padding (garbage after the document,
// which both must ignore). Then On-Demand parsers allocated with either stage 1 read the same values.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "feed/capture_reader.hpp"
#include "feed/parse/structural_indexer.hpp"
#include "test_util.hpp"

namespace polybot::feed {
namespace {

using json::IndexResult;

class Differential {
 public:
  explicit Differential(std::size_t capacity) : ours_(capacity + 96) {
    const auto* lib = simdjson::get_available_implementations().detect_best_supported();
    if (lib->create_dom_parser_implementation(capacity, 1024, lib_)) std::abort();
  }

  // Runs both over text followed by `padding` (64 bytes after the document, as simdjson requires).
  // Returns false (with a gtest failure naming the input) on any disagreement.
  bool same(std::string_view text, std::string_view padding) {
    std::string buf(text);
    buf.append(padding);
    buf.resize(text.size() + simdjson::SIMDJSON_PADDING, ' ');
    const auto* p = reinterpret_cast<const std::uint8_t*>(buf.data());
    ++checked;
    std::uint32_t n = 0;
    const IndexResult r = json::index_structurals(p, text.size(), ours_.data(), n);
    bool non_ascii = false;
    for (const char c : text) non_ascii |= static_cast<unsigned char>(c) >= 0x80;
    if (r == IndexResult::kNotAscii) {
      EXPECT_TRUE(non_ascii) << "refused a pure-ASCII document: " << shown(text);
      ++delegated;
      return non_ascii;
    }
    EXPECT_FALSE(non_ascii) << "indexed a document with a byte >= 0x80: " << shown(text);
    const simdjson::error_code want = lib_->stage1(p, text.size(), simdjson::stage1_mode::regular);
    if (json::as_simdjson_error(r) != want) {
      ADD_FAILURE() << "status " << simdjson::error_message(json::as_simdjson_error(r)) << " vs library "
                    << simdjson::error_message(want) << " for " << shown(text);
      return false;
    }
    if (want != simdjson::SUCCESS) return true;
    if (n != lib_->n_structural_indexes) {
      ADD_FAILURE() << "token count " << n << " vs library " << lib_->n_structural_indexes << " for " << shown(text);
      return false;
    }
    for (std::uint32_t i = 0; i < n + 3; ++i) {
      if (ours_[i] != lib_->structural_indexes[i]) {
        ADD_FAILURE() << "index[" << i << "] " << ours_[i] << " vs library " << lib_->structural_indexes[i]
                      << " for " << shown(text);
        return false;
      }
    }
    return true;
  }

  int checked = 0;
  int delegated = 0;

 private:
  static std::string shown(std::string_view t) {
    std::string s;
    for (const char c : t.substr(0, 400)) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7F) {
        static const char* hex = "0123456789abcdef";
        s += "\\x";
        s += hex[u >> 4];
        s += hex[u & 15];
      } else {
        s += c;
      }
    }
    return "\"" + s + "\" (" + std::to_string(t.size()) + " bytes)";
  }

  std::unique_ptr<simdjson::internal::dom_parser_implementation> lib_;
  std::vector<std::uint32_t> ours_;
};

std::vector<std::string> real_documents() {
  std::vector<std::string> docs;
  for (const auto& e : std::filesystem::directory_iterator(test::data_path("polymarket"))) {
    if (e.path().extension() == ".json") docs.push_back(test::read_text(e.path().string()));
  }
  for (const char* f : {"binance/btcusdt_20240808_head12000.gz", "binance/btcusd_perp_20240808_head6000.gz"}) {
    auto file = read_capture(test::data_path(f));
    EXPECT_TRUE(file.has_value()) << f;
    if (!file) continue;
    const auto frames = split_capture(file.value().text);
    for (std::size_t i = 0; i < frames.size() && i < 1500; ++i) docs.emplace_back(frames[i].json);
  }
  return docs;
}

TEST(StructuralIndexer, TheBuildHasIt) {
#if defined(__AVX2__) && defined(__PCLMUL__) && defined(__BMI__)
  EXPECT_TRUE(json::fast_stage1_available());
#else
  GTEST_SKIP() << "built without AVX2: the library's stage 1 is used";
#endif
}

TEST(StructuralIndexer, MatchesTheLibraryOnRealFrames) {
  if (!json::fast_stage1_available()) GTEST_SKIP();
  const auto docs = real_documents();
  ASSERT_GT(docs.size(), 3000u);
  Differential d(1 << 22);
  const std::string garbage(64, '"');
  for (const auto& doc : docs) {
    ASSERT_TRUE(d.same(doc, ""));
    ASSERT_TRUE(d.same(doc, garbage));  // quotes after the end must not open a string
  }
}

// Bytes that change the index: operators, quotes, backslashes, whitespace, the two control bytes simdjson folds
// onto operators, another control byte, scalar characters.
constexpr std::string_view kAlphabet = "{}[]:,\"\\ \t\n\r\x0c\x1a\x01" "0a-.e";

TEST(StructuralIndexer, MatchesTheLibraryOnMutatedFrames) {
  if (!json::fast_stage1_available()) GTEST_SKIP();
  const auto docs = real_documents();
  Differential d(1 << 22);
  std::mt19937_64 rng(20261122);
  std::string padding(64, ' ');
  for (int round = 0; round < 40000; ++round) {
    std::string t = docs[rng() % docs.size()];
    if (t.size() > 2000) t.resize(rng() % 2000);
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      const std::size_t at = rng() % t.size();
      switch (rng() % 4) {
        case 0: t[at] = kAlphabet[rng() % kAlphabet.size()]; break;
        case 1: t.insert(at, std::string(1 + rng() % 5, '\\')); break;
        case 2: t.erase(at, 1 + rng() % 8); break;
        default: t.resize(at); break;
      }
    }
    for (auto& c : padding) c = kAlphabet[rng() % kAlphabet.size()];
    ASSERT_TRUE(d.same(t, padding));
  }
  EXPECT_EQ(d.checked, 40000);
}

TEST(StructuralIndexer, MatchesTheLibraryOnRandomTexts) {
  if (!json::fast_stage1_available()) GTEST_SKIP();
  Differential d(1 << 16);
  std::mt19937_64 rng(7);
  std::string padding(64, ' ');
  for (int round = 0; round < 60000; ++round) {
    // Lengths around the 64-byte block edges, where the carries between blocks matter.
    const std::size_t len = round % 3 == 0 ? 60 + rng() % 10 : (round % 3 == 1 ? 124 + rng() % 10 : rng() % 300);
    std::string t(len, ' ');
    // Few distinct bytes per text, so strings, escapes and scalars come in runs.
    const std::string_view use = kAlphabet.substr(rng() % 6, 3 + rng() % (kAlphabet.size() - 6));
    for (auto& c : t) c = use[rng() % use.size()];
    for (auto& c : padding) c = kAlphabet[rng() % kAlphabet.size()];
    ASSERT_TRUE(d.same(t, padding));
  }
}

TEST(StructuralIndexer, BackslashRunsAcrossBlockEdges) {
  if (!json::fast_stage1_available()) GTEST_SKIP();
  Differential d(1 << 12);
  for (std::size_t start = 1; start < 140; ++start) {
    for (std::size_t run = 1; run < 6; ++run) {
      std::string t = "\"" + std::string(start - 1, 'x') + std::string(run, '\\') + "\"\"";
      t += ",1]";
      ASSERT_TRUE(d.same(t, ""));
      ASSERT_TRUE(d.same("[" + t, ""));
    }
  }
}

TEST(StructuralIndexer, EdgeCasesGiveTheLibrarysStatus) {
  if (!json::fast_stage1_available()) GTEST_SKIP();
  Differential d(1 << 12);
  for (const std::string_view t :
       {std::string_view{""}, std::string_view{"   "}, std::string_view{"\"abc"}, std::string_view{"\"a\x01\""},
        std::string_view{"\"a\x01"}, std::string_view{"[1,2"}, std::string_view{"12 34"}, std::string_view{"\x1a"},
        std::string_view{"a\x0c b"}, std::string_view{"\"\\\"\"x"}, std::string_view{"{\"a\":1}"}}) {
    EXPECT_TRUE(d.same(t, "")) << t;
  }
}

TEST(StructuralIndexer, HandsNonAsciiToTheLibrary) {
  if (!json::fast_stage1_available()) GTEST_SKIP();
  Differential d(1 << 12);
  EXPECT_TRUE(d.same("{\"q\":\"Will BTC be \xe2\x89\xa5 $100k?\"}", ""));
  EXPECT_TRUE(d.same(std::string(100, ' ') + "[\"\xc3\xa9\"]", ""));
  EXPECT_EQ(d.delegated, 2);
  // A byte >= 0x80 in the padding only is not part of the document.
  EXPECT_TRUE(d.same("{\"a\":1}", std::string(64, '\xff')));
  EXPECT_EQ(d.delegated, 2);
}

// Every value of a document, read through On-Demand, as text: the same for both stage 1s, errors included.
std::string read_all(simdjson::ondemand::parser& parser, const std::string& doc_text) {
  simdjson::padded_string padded(doc_text);
  simdjson::ondemand::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return std::string("error:") + simdjson::error_message(e);
  std::string out;
  struct Walk {
    std::string& out;
    simdjson::error_code operator()(simdjson::ondemand::value v) {
      simdjson::ondemand::json_type type;
      if (auto e = v.type().get(type)) return e;
      switch (type) {
        case simdjson::ondemand::json_type::object: {
          simdjson::ondemand::object o;
          if (auto e = v.get_object().get(o)) return e;
          for (auto f : o) {
            std::string_view k;
            if (auto e = f.unescaped_key().get(k)) return e;
            out.append(k).push_back('=');
            simdjson::ondemand::value fv;
            if (auto e = f.value().get(fv)) return e;
            if (auto e = (*this)(fv)) return e;
          }
          return simdjson::SUCCESS;
        }
        case simdjson::ondemand::json_type::array: {
          simdjson::ondemand::array a;
          if (auto e = v.get_array().get(a)) return e;
          for (auto el : a) {
            simdjson::ondemand::value ev;
            if (auto e = el.get(ev)) return e;
            if (auto e = (*this)(ev)) return e;
          }
          return simdjson::SUCCESS;
        }
        case simdjson::ondemand::json_type::string: {
          std::string_view s;
          if (auto e = v.get_string().get(s)) return e;
          out.append(s).push_back(';');
          return simdjson::SUCCESS;
        }
        default:
          out.append(v.raw_json_token()).push_back(';');
          return simdjson::SUCCESS;
      }
    }
  };
  simdjson::ondemand::value root;
  simdjson::error_code e = doc.get_value().get(root);
  if (!e) e = Walk{out}(root);
  if (e) out += std::string("error:") + simdjson::error_message(e);
  return out;
}

TEST(StructuralIndexer, OnDemandReadsTheSameValuesWithEitherStage1) {
  simdjson::ondemand::parser ours, library;
  ASSERT_EQ(json::allocate_parser(ours, 1 << 22, json::Stage1::kPolybot), simdjson::SUCCESS);
  ASSERT_EQ(json::allocate_parser(library, 1 << 22, json::Stage1::kLibrary), simdjson::SUCCESS);
  auto docs = real_documents();
  docs.emplace_back("{\"q\":\"caf\xc3\xa9\",\"n\":[1,2.5,true,null]}");  // the library's stage 1, via ours
  docs.emplace_back("{\"a\":\"unclosed}");
  docs.emplace_back("{\"a\":\"ctrl\x01\"}");
  docs.emplace_back("   ");
  docs.emplace_back("[1,2] 3");
  int values = 0;
  for (const auto& doc : docs) {
    const std::string a = read_all(ours, doc);
    ASSERT_EQ(a, read_all(library, doc)) << doc.substr(0, 200);
    values += a.find("error:") == std::string::npos;
  }
  EXPECT_GT(values, 3000);
  // The allocation left the process-wide choice as it was.
  EXPECT_NE(simdjson::get_active_implementation()->name(), "polybot_ascii_stage1");
}

TEST(StructuralIndexer, DomParsingThroughOurImplementationIsTheLibrarys) {
  // A DOM parser created while ours is the active implementation (what another thread could see during an
  // allocate_parser call) parses whole documents and streams with the library's code.
  if (!json::fast_stage1_available()) GTEST_SKIP();
  auto& active = simdjson::get_active_implementation();
  const simdjson::implementation* const before = active;
  active = json::polybot_implementation();
  simdjson::dom::parser dom;
  const auto allocated = dom.allocate(1 << 16);
  active = before;
  ASSERT_EQ(allocated, simdjson::SUCCESS);
  std::int64_t second = 0;
  ASSERT_EQ(dom.parse(std::string("{\"a\":[1,2,{\"b\":\"x\"}]}"))["a"].at(1).get_int64().get(second),
            simdjson::SUCCESS);
  EXPECT_EQ(second, 2);
  simdjson::padded_string many(std::string("[1] [2,3] {\"k\":\"v\"}"));
  simdjson::dom::document_stream stream;
  ASSERT_EQ(dom.parse_many(many).get(stream), simdjson::SUCCESS);
  int docs = 0;
  for (auto d : stream) {
    EXPECT_EQ(d.error(), simdjson::SUCCESS);
    ++docs;
  }
  EXPECT_EQ(docs, 3);
}

}  // namespace
}  // namespace polybot::feed
