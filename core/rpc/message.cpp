#include "core/rpc/message.hpp"

#include "core/rpc/protocol.hpp"

namespace growth::rpc {

Json make_result(const Json& id, Json result) {
    Json m = Json::object();
    m["jsonrpc"] = "2.0";
    m["id"] = id;
    m["result"] = std::move(result);
    return m;
}

Json make_error(const Json& id, ErrorCode code, std::string_view kind, std::string_view message,
                const Json& extra) {
    Json data = Json::object();
    data["kind"] = kind;
    if (extra.is_object()) {
        for (const auto& [key, value] : extra.items()) data[key] = value;
    }
    Json error = Json::object();
    error["code"] = static_cast<int>(code);
    error["message"] = message;
    error["data"] = std::move(data);
    Json m = Json::object();
    m["jsonrpc"] = "2.0";
    m["id"] = id;
    m["error"] = std::move(error);
    return m;
}

Json make_request(const Json& id, std::string_view method, const Json& params) {
    Json m = Json::object();
    m["jsonrpc"] = "2.0";
    m["id"] = id;
    m["method"] = method;
    if (!params.is_null()) m["params"] = params;
    return m;
}

Json make_notification(std::string_view method, const Json& params) {
    Json m = Json::object();
    m["jsonrpc"] = "2.0";
    m["method"] = method;
    m["params"] = params;
    return m;
}

Json make_hello(std::string_view daemon_version) {
    Json params = Json::object();
    params["protocol"] = protocol_version;
    params["version"] = daemon_version;
    return make_notification(hello_method, params);
}

std::string to_line(const Json& message) {
    std::string line = message.dump(-1, ' ', false, Json::error_handler_t::replace);
    line.push_back('\n');
    return line;
}

}  // namespace growth::rpc
