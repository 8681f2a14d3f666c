// Every message family in one include.
#pragma once

#include "core/msg/book_top.hpp"
#include "core/msg/envelope.hpp"
#include "core/msg/header.hpp"
#include "core/msg/intent.hpp"
#include "core/msg/market_def.hpp"
#include "core/msg/market_event.hpp"
#include "core/msg/order.hpp"
#include "core/msg/timer.hpp"
