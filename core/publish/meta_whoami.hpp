#pragma once
// A one-request Graph who-am-I (GET {node}?fields=...), shared by Instagram and Threads.

#include <memory>
#include <string>
#include <string_view>

#include "core/publish/publisher.hpp"

namespace growth::publish::meta {

/// GET `{api_base}/{node}?fields={fields}&access_token=...`, answered by `id`, `username`,
/// `name`. Does not throw beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_node_whoami(const Account& account, std::string api_base,
                                         std::string node, std::string fields, std::string display);

}  // namespace growth::publish::meta
