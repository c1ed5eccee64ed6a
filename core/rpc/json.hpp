#pragma once
// The JSON type used on the wire (core/json.hpp).

#include "core/json.hpp"

namespace growth::rpc {

using growth::Json;

}  // namespace growth::rpc
