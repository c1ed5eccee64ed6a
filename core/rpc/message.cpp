#include "core/rpc/message.hpp"

#include "core/error.hpp"
#include "core/rpc/protocol.hpp"
#include "core/text/utf8.hpp"

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
    std::string line;
    try {
        line = message.dump();  // strict: a string that is not UTF-8 is never silently replaced
    } catch (const Json::type_error& e) {
        // A bug of whoever built the message (every text growth takes in is checked first). A
        // reply still goes out, as an internal error for the same request.
        std::string what = e.what();
        if (const auto bracket = what.find("] "); !what.empty() && what.front() == '[' && bracket != std::string::npos) {
            what.erase(0, bracket + 2);
        }
        const bool reply = message.is_object() && message.contains("id") && !message.contains("method");
        if (!reply) throw Error(std::string(kind::internal_error), "a string in the message is not UTF-8: " + what);
        Json id = message["id"];
        if (id.is_string() && text::find_invalid_utf8(id.get_ref<const std::string&>()) != std::string::npos) id = nullptr;
        line = make_error(id, ErrorCode::internal_error, kind::internal_error,
                          "internal error: a string in the reply is not UTF-8: " + what)
                   .dump();
    }
    line.push_back('\n');
    return line;
}

}  // namespace growth::rpc
