"""Everything the sandbox remembers: accounts and tokens, created objects, received requests, faults.

One `State` per server, guarded by one lock; handlers run with the lock held (see server.py).
"""

import copy
import hashlib
import itertools
import random
import secrets
import threading
import time

PLATFORMS = ("x", "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky")

# Fields of an account that a seed or POST /_sandbox/accounts may set, per platform, with defaults
# generated when absent. `id` is the platform's own id for the account: X user id, LinkedIn person id
# (the `sub`), Facebook Page id, Instagram IG user id, Threads user id, Mastodon account id, Bluesky DID.
ACCOUNT_FIELDS = ("platform", "username", "token", "id", "display_name", "token_state", "password",
                  "max_characters", "x_self_reply_forbidden", "email", "organizations",
                  "linkedin_read_posts", "page_id")

TOKEN_STATES = ("valid", "expired", "revoked", "invalid")

_B32_SORT = "234567abcdefghijklmnopqrstuvwxyz"


def tid_now(clock_id=None):
    """A fresh AT Protocol TID (platforms.md §7.6): 53 bits of µs since epoch + 10-bit clock id."""
    micros = int(time.time() * 1_000_000)
    clock = random.getrandbits(10) if clock_id is None else clock_id
    value = (micros << 10) | clock
    out = []
    for _ in range(13):
        out.append(_B32_SORT[value & 31])
        value >>= 5
    return "".join(reversed(out))


class Account:
    def __init__(self, fields):
        self.platform = fields["platform"]
        self.username = fields["username"]
        self.token = fields.get("token")
        self.password = fields.get("password")
        self.id = fields["id"]
        self.display_name = fields.get("display_name") or self.username
        self.token_state = fields.get("token_state", "valid")
        self.max_characters = int(fields.get("max_characters", 500))
        self.x_self_reply_forbidden = bool(fields.get("x_self_reply_forbidden", False))
        self.email = fields.get("email") or "%s@example.test" % self.username.split(".")[0]
        self.organizations = [str(o) for o in fields.get("organizations") or []]
        # LinkedIn: the token carries r_member_social (restricted), so GET /rest/posts?q=author works.
        self.linkedin_read_posts = bool(fields.get("linkedin_read_posts", False))
        # Instagram: the Facebook Page the business account is connected to (Facebook Login).
        self.page_id = str(fields["page_id"]) if fields.get("page_id") else None

    def public(self):
        """The account as the control API shows it (secrets included: it is a test fixture)."""
        d = {"platform": self.platform, "username": self.username, "id": self.id,
             "display_name": self.display_name, "token_state": self.token_state}
        if self.token is not None:
            d["token"] = self.token
        if self.password is not None:
            d["password"] = self.password
        if self.platform == "mastodon":
            d["max_characters"] = self.max_characters
        if self.platform == "x":
            d["x_self_reply_forbidden"] = self.x_self_reply_forbidden
        if self.platform == "linkedin":
            d["organizations"] = self.organizations
            d["linkedin_read_posts"] = self.linkedin_read_posts
        if self.platform == "instagram":
            d["page_id"] = self.page_id
        return d


class Fault:
    KINDS = ("rate_limit", "server_error", "reset", "stall", "auth", "duplicate", "lost_response")

    def __init__(self, spec, seq):
        self.seq = seq
        self.platform = spec["platform"]
        self.endpoint = spec.get("endpoint", "*")
        self.kind = spec["kind"]
        self.nth = int(spec.get("nth", 1))
        self.seconds = float(spec.get("seconds", 0))
        self.status = spec.get("status")
        self.reset_after = int(spec.get("reset_after", 60))
        self.seen = 0

    def public(self):
        return {"id": self.seq, "platform": self.platform, "endpoint": self.endpoint, "kind": self.kind,
                "nth": self.nth, "seconds": self.seconds, "status": self.status,
                "reset_after": self.reset_after, "seen": self.seen}


class State:
    def __init__(self):
        self.lock = threading.RLock()
        self.accounts = []          # list[Account]
        self.config = {"quotas": True, "container_polls": {}, "bluesky_access_ttl": 7200}
        self.base_url = ""          # http://127.0.0.1:PORT, set by the server
        self.reset(accounts=True)

    # --- lifecycle -------------------------------------------------------------------------------

    def reset(self, accounts=False):
        """Forget requests, objects, faults and quota counters (and accounts with their Bluesky
        sessions if asked)."""
        if accounts or not hasattr(self, "sessions"):
            self.accounts = []
            self.sessions = {}      # bluesky jwt -> {"did", "kind", "exp", "state", ...}; kept with accounts
            self.mastodon_apps = {}   # client_id -> registered app (POST /api/v1/apps)
            self.mastodon_codes = {}  # authorization code -> its grant (GET /oauth/authorize)
            self.apps = {}            # client_id -> OAuth app: Meta, X (POST /_sandbox/apps)
            self.meta_codes = {}      # authorization code -> its grant (Facebook Login, Threads)
            self.meta_tokens = {}     # Meta user token -> {"platform", "kind", "scopes", "exp", ...}
            self.x_codes = {}         # X authorization code -> its grant (GET /i/oauth2/authorize)
            self.x_refresh = {}       # X refresh token -> its grant (rotates on every refresh)
        self.requests = []
        self.objects = []           # every created thing, in creation order
        self.by_key = {}            # (platform, id) -> object
        self.index = {}             # per-platform lookup tables (duplicate checks, counters)
        self.faults = []            # FIFO; see take_fault()
        self.fault_seq = itertools.count(1)
        self.fired = []             # faults that fired, for the control API
        self.idempotency = {}       # (mastodon account id, key) -> (status id, stored at)
        self.windows = {}           # quota key -> list of timestamps
        self.seq = itertools.count(1)
        self.id_counter = itertools.count(1)

    # --- accounts --------------------------------------------------------------------------------

    def add_account(self, fields):
        """Create an account from seed/control fields; raises ValueError naming a bad field."""
        unknown = set(fields) - set(ACCOUNT_FIELDS)
        if unknown:
            raise ValueError("unknown account field(s): %s" % ", ".join(sorted(unknown)))
        platform = fields.get("platform")
        if platform not in PLATFORMS:
            raise ValueError("platform must be one of %s, got %r" % (", ".join(PLATFORMS), platform))
        fields = dict(fields)
        username = fields.get("username") or "%s-user%d" % (platform, len(self.accounts) + 1)
        if platform == "bluesky" and "." not in username:
            username += ".sandbox.test"
        fields["username"] = username
        if fields.get("token_state", "valid") not in TOKEN_STATES:
            raise ValueError("token_state must be one of %s" % ", ".join(TOKEN_STATES))
        if platform == "bluesky":
            fields.setdefault("password", "%s-%s-%s-%s" % tuple(secrets.token_hex(2) for _ in range(4)))
            fields.pop("token", None)
        else:
            fields.setdefault("token", "%s-%s" % (platform, secrets.token_urlsafe(18)))
        fields.setdefault("id", self._account_id(platform, username))
        for a in self.accounts:
            if a.platform == platform and (a.username == username or a.id == fields["id"]):
                raise ValueError("%s account %r already exists" % (platform, username))
            if fields.get("token") and a.token == fields["token"]:
                raise ValueError("token already belongs to %s account %r" % (a.platform, a.username))
        acct = Account(fields)
        self.accounts.append(acct)
        return acct

    def _account_id(self, platform, username):
        h = int(hashlib.sha256(("%s/%s" % (platform, username)).encode()).hexdigest(), 16)
        if platform == "x":
            return str(1_000_000_000_000_000_000 + h % 9_000_000_000_000_000_000)
        if platform == "linkedin":
            alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            return "".join(alphabet[(h >> (6 * i)) & 63] for i in range(10))
        if platform == "facebook":
            return str(100_000_000_000_000 + h % 900_000_000_000_000)
        if platform == "instagram":
            return str(17_841_400_000_000_000 + h % 100_000_000_000)
        if platform == "threads":
            return str(25_000_000_000_000_000 + h % 1_000_000_000_000_000)
        if platform == "mastodon":
            return str(109_000_000_000_000_000 + h % 1_000_000_000_000_000)
        return "did:plc:" + "".join(_B32_SORT[(h >> (5 * i)) & 31] for i in range(24))

    def find_account(self, platform, username=None, token=None, account_id=None):
        for a in self.accounts:
            if a.platform != platform:
                continue
            if username is not None and a.username != username:
                continue
            if token is not None and a.token != token:
                continue
            if account_id is not None and a.id != account_id:
                continue
            return a
        return None

    # --- ids and objects -------------------------------------------------------------------------

    def next_number(self):
        return next(self.id_counter)

    def store(self, platform, obj):
        """Record a created object; `obj` must carry `id` and `kind`."""
        obj.setdefault("platform", platform)
        obj.setdefault("created_at", time.time())
        obj["seq"] = len(self.objects) + 1
        self.objects.append(obj)
        self.by_key[(platform, obj["id"])] = obj
        return obj

    def get(self, platform, obj_id):
        return self.by_key.get((platform, obj_id))

    def public_objects(self, platform=None, account=None, kind=None):
        out = []
        for o in self.objects:
            if platform and o["platform"] != platform:
                continue
            if account and o.get("account") != account:
                continue
            if kind and o.get("kind") != kind:
                continue
            out.append(copy.deepcopy({k: v for k, v in o.items() if not k.startswith("_")}))
        return out

    # --- requests --------------------------------------------------------------------------------

    def record(self, entry):
        entry["seq"] = next(self.seq)
        self.requests.append(entry)
        return entry

    # --- faults ----------------------------------------------------------------------------------

    def add_fault(self, spec):
        f = Fault(spec, next(self.fault_seq))
        self.faults.append(f)
        return f

    def take_fault(self, platform, op):
        """The fault that fires for this request, if any (removed from the queue).

        Faults form one FIFO per (platform, endpoint); only the head of each queue counts matching
        requests, so several faults on one endpoint fire one after another, each `nth` counted from
        the request after the previous one fired. A specific endpoint's queue is consulted before the
        platform-wide ('*') queue.
        """
        for endpoint in (op, "*"):
            head = next((f for f in self.faults if f.platform == platform and f.endpoint == endpoint), None)
            if head is None:
                continue
            head.seen += 1
            if head.seen >= head.nth:
                self.faults.remove(head)
                self.fired.append(head)
                return head
        return None

    # --- quotas ----------------------------------------------------------------------------------

    def quota(self, key, limit, window, cost=1, consume=True):
        """Sliding-window counter. Returns (allowed, remaining, reset_epoch_seconds)."""
        now = time.time()
        hits = [t for t in self.windows.get(key, []) if t > now - window]
        reset = (hits[0] + window) if hits else now + window
        if self.config["quotas"] and len(hits) + cost > limit:
            self.windows[key] = hits
            return False, max(limit - len(hits), 0), reset
        if consume:
            hits.extend([now] * cost)
        if len(hits) > 2 * limit + cost:
            hits = hits[-(limit + cost):]   # quotas off: keep the counter bounded
        self.windows[key] = hits
        return True, max(limit - len(hits), 0), reset
