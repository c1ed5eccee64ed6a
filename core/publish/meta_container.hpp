#pragma once
// The container -> publish machine shared by Instagram (§4.2) and Threads (§5.2), internal to
// core/publish. The container id is handed out as a Checkpoint before media_publish /
// threads_publish is sent, so a lost publish can be resolved from the container's status
// (§4.6, §5.6) instead of being re-sent blindly.

#include <memory>
#include <string_view>

#include "core/http/encoding.hpp"
#include "core/publish/publisher.hpp"

namespace growth::publish::meta {

/// What differs between Instagram and Threads.
struct ContainerFlavor {
    std::string_view display;           ///< "Instagram", "Threads"
    std::string_view default_api_base;  ///< with the version path
    std::string_view default_user;      ///< used when Account::user_id is empty ("" = required)
    std::string_view create_edge;       ///< "media" | "threads"
    std::string_view publish_edge;      ///< "media_publish" | "threads_publish"
    std::string_view status_fields;     ///< "status_code" | "status,error_message"
    std::string_view status_field;      ///< "status_code" | "status"
    /// "media" | "threads": recent top-level posts, to recover a published part 1's id (Threads
    /// replies are looked up in `/{parent-id}/replies`, since `/threads` lists no replies).
    std::string_view list_edge;
    std::string_view
        list_fields;  ///< "id,caption,timestamp,permalink" | "id,text,timestamp,permalink"
    std::string_view text_field;  ///< "caption" | "text"
    /// Threads: every part is a container (replies via reply_to_id). Instagram: only part 1;
    /// later parts are comments on the root media.
    bool replies_are_containers;
    /// The create-container form fields for `part` (without access_token).
    http::Params (*container_params)(const Part& part);
    /// A problem with `part` for this platform (empty when fine), checked before sending.
    std::string (*part_problem)(const Part& part);
};

/// The container machine for one part. Does not throw beyond std::bad_alloc.
std::unique_ptr<PartPublisher> make_container_publisher(const ContainerFlavor& flavor,
                                                        const Account& account, Part part);

}  // namespace growth::publish::meta
