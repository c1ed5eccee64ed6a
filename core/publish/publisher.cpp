#include "core/publish/publisher.hpp"

#include "core/publish/bluesky.hpp"
#include "core/publish/facebook.hpp"
#include "core/publish/failure.hpp"
#include "core/publish/instagram.hpp"
#include "core/publish/linkedin.hpp"
#include "core/publish/mastodon.hpp"
#include "core/publish/threads.hpp"
#include "core/publish/x.hpp"

namespace growth::publish {

namespace {

// Answers every call with bad_input: the account names no known platform.
template <class Base, class Step>
class Unknown final : public Base {
  public:
    Step start(Instant /*now*/) override { return failure(); }
    Step feed(const http::Outcome& /*outcome*/, Instant /*now*/) override { return failure(); }

  private:
    static Failure failure() {
        return make_failure(FailureClass::permanent, "bad_input",
                            "the account's platform is not one growth knows");
    }
};

}  // namespace

std::unique_ptr<PartPublisher> make_part_publisher(const Account& account, Part part) {
    switch (account.platform) {
        case Platform::x:
            return x::make_publisher(account, std::move(part));
        case Platform::linkedin:
            return linkedin::make_publisher(account, std::move(part));
        case Platform::facebook:
            return facebook::make_publisher(account, std::move(part));
        case Platform::instagram:
            return instagram::make_publisher(account, std::move(part));
        case Platform::threads:
            return threads::make_publisher(account, std::move(part));
        case Platform::mastodon:
            return mastodon::make_publisher(account, std::move(part));
        case Platform::bluesky:
            return bluesky::make_publisher(account, std::move(part));
    }
    return std::make_unique<Unknown<PartPublisher, PartStep>>();
}

std::unique_ptr<WhoAmI> make_whoami(const Account& account) {
    switch (account.platform) {
        case Platform::x:
            return x::make_whoami(account);
        case Platform::linkedin:
            return linkedin::make_whoami(account);
        case Platform::facebook:
            return facebook::make_whoami(account);
        case Platform::instagram:
            return instagram::make_whoami(account);
        case Platform::threads:
            return threads::make_whoami(account);
        case Platform::mastodon:
            return mastodon::make_whoami(account);
        case Platform::bluesky:
            return bluesky::make_whoami(account);
    }
    return std::make_unique<Unknown<WhoAmI, WhoAmIStep>>();
}

}  // namespace growth::publish
