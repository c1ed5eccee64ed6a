#include "core/publish/publisher.hpp"

#include "core/publish/bluesky.hpp"
#include "core/publish/mastodon.hpp"
#include "core/publish/x.hpp"

namespace growth::publish {

std::unique_ptr<PartPublisher> make_part_publisher(const Account& account, Part part) {
    switch (account.platform) {
        case Platform::x: return x::make_publisher(account, std::move(part));
        case Platform::mastodon: return mastodon::make_publisher(account, std::move(part));
        case Platform::bluesky: return bluesky::make_publisher(account, std::move(part));
        default: break;
    }
    return x::make_publisher(account, std::move(part));
}

std::unique_ptr<WhoAmI> make_whoami(const Account& account) {
    switch (account.platform) {
        case Platform::x: return x::make_whoami(account);
        case Platform::mastodon: return mastodon::make_whoami(account);
        case Platform::bluesky: return bluesky::make_whoami(account);
        default: break;
    }
    return x::make_whoami(account);
}

}  // namespace growth::publish
