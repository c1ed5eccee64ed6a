"""Base class for one platform's fake API: a route table, its error shapes and its fault answers."""

import re

from .web import Reply


class Platform:
    """Subclasses set `name`, `routes` and implement the error/fault hooks.

    `routes` is a list of (method, path regex, endpoint name, handler method name). The endpoint name
    is what faults and recorded requests refer to (README.md lists them).
    """

    name = ""
    routes = ()
    # Fault kinds this platform has an answer for; others are refused when the fault is configured.
    fault_kinds = ("rate_limit", "server_error", "reset", "stall", "auth", "lost_response")

    def __init__(self, state):
        self.state = state
        self._compiled = [(m, re.compile("^" + rx + "$"), op, fn) for m, rx, op, fn in self.routes]

    @property
    def base(self):
        """Public base URL of this platform's prefix (what an account's --api-base is set to)."""
        return "%s/%s" % (self.state.base_url, self.name)

    def endpoints(self):
        return sorted({op for _, _, op, _ in self.routes})

    def match(self, req):
        """(endpoint, bound handler, path groups) for `req`, or None when no route has this path."""
        path_hit = None
        for method, rx, op, fn in self._compiled:
            m = rx.match(req.route)
            if not m:
                continue
            if method == req.method:
                return op, getattr(self, fn), m.groups()
            path_hit = op
        if path_hit:
            return path_hit, self.method_not_allowed, ()
        return None

    def fail(self, response):
        raise Reply(response)

    # --- hooks -----------------------------------------------------------------------------------

    def not_found(self, req):
        raise NotImplementedError

    def method_not_allowed(self, req, *groups):
        return self.not_found(req)

    def fault_response(self, fault, req):
        """The platform's own answer for a fault of kind rate_limit/server_error/auth/duplicate."""
        raise NotImplementedError

    def decorate(self, req, resp):
        """Add headers every response of this platform carries (rate-limit headers)."""
        return resp
