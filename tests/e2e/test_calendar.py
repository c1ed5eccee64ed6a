"""growthctl calendar end to end: posts scheduled through growthd in March 2030 (Europe/Berlin
changes to summer time on the 31st) show on their local days in the month grid, in the day list
on a narrow terminal and in --json; --ics is checked octet by octet (CRLF, 75-octet lines, whole
UTF-8 sequences) and read back with ical.js from npm (tests/ical, installed with `npm ci` on first
use; skipped loudly without node/npm).

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_calendar
"""

import datetime
import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
import unicodedata

import harness
import post_support as ps

ICAL = os.path.join(harness.SOURCE_DIR, "tests", "ical")
BERLIN = ("--tz", "Europe/Berlin")
TRICKY = "Launch, finally; at last\\done 🧵\nSecond line with ünïcödé and 日本語 " + "words " * 30


def utc(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).strftime("%Y-%m-%dT%H:%M:%SZ")


def columns(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in line)


def grid_days(lines):
    """{day number: [the lines of its cell under the day line]} from a month grid."""
    days, current = {}, None
    for line in lines:
        if line.startswith("+"):
            current = None
            continue
        if not line.startswith("|") or line.startswith("|Mon"):
            continue
        cells = line[1:-1].split("|")
        if current is None:
            current = [int(c.strip("[] ").split()[0].strip("[]")) if c.strip() else None for c in cells]
            for d in current:
                if d is not None:
                    days[d] = []
            continue
        for d, c in zip(current, cells):
            if d is not None and c.strip():
                days[d].append(c)
    return days


def ensure_ical():
    if shutil.which("node") is None or shutil.which("npm") is None:
        return False
    if not os.path.exists(os.path.join(ICAL, "node_modules", "ical.js", "package.json")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ICAL, check=True,
                       timeout=600)
    return True


class Calendar(ps.PostTestCase):
    def setUp(self):
        super().setUp()
        self.add_account("mastodon")
        self.add_account("bluesky")
        self.ids = {}
        for key, at, text in (("mar1", "2030-03-01 00:30", "Just after midnight"),
                              ("mar15", "2030-03-15 09:00", TRICKY),
                              ("mar31", "2030-03-31 23:30", "Late on the last day"),
                              ("apr1", "2030-04-01 00:30", "April already"),
                              ("gone", "2030-03-20 12:00", "Cancelled one")):
            r = self.ctl("schedule", "--json", "--at", at, *BERLIN, "--to", "mastodon", "--to", "bluesky", text)
            self.assertEqual(r.returncode, 0, r)
            self.ids[key] = json.loads(r.stdout)["id"]
        self.assertEqual(self.ctl("cancel", self.ids["gone"]).returncode, 0)

    def calendar(self, *args, columns_env="100", **env):
        return self.ctl("calendar", *args, env=self.sandbox.env(COLUMNS=columns_env, **env))

    def ics(self, *args):
        p = subprocess.run([harness.GROWTHCTL, "calendar", "--ics", *args], env=self.sandbox.env(),
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_json_puts_each_post_on_its_local_day(self):
        j = json.loads(self.calendar("--month", "2030-03", *BERLIN, "--json").stdout)
        self.assertEqual((j["month"], j["tz"], len(j["days"])), ("2030-03", "Europe/Berlin", 31))
        self.assertEqual(j["days"][0], {"date": "2030-03-01", "posts": [self.ids["mar1"]]})
        self.assertEqual(j["days"][14]["posts"], [self.ids["mar15"]])
        self.assertEqual(j["days"][30]["posts"], [self.ids["mar31"]])
        listed = [p for d in j["days"] for p in d["posts"]]
        self.assertEqual(len(listed), 3)  # not April's, not the cancelled one
        # In UTC the first post is still February and April's first is March 31.
        u = json.loads(self.calendar("--month", "2030-03", "--tz", "UTC", "--json").stdout)
        self.assertEqual(u["days"][0]["posts"], [])
        self.assertEqual(u["days"][30]["posts"], [self.ids["mar31"], self.ids["apr1"]])

    def test_the_grid_shows_posts_on_their_local_days_and_fits_60_columns(self):
        for width in ("100", "60"):
            r = self.calendar("--month", "2030-03", *BERLIN, columns_env=width)
            self.assertEqual(r.returncode, 0, r)
            lines = r.stdout.splitlines()
            self.assertIn("March 2030 (Europe/Berlin)", lines[0])
            self.assertEqual(lines[2][:5], "|Mon ")  # weeks start on Monday
            for line in lines:
                self.assertLessEqual(columns(line), int(width), line)
            days = grid_days(lines)
            self.assertEqual(sorted(days), list(range(1, 32)))
            self.assertTrue(days[1][0].startswith("00:30 J"), days[1])
            self.assertTrue(days[15][0].startswith("09:00 L"), days[15])
            self.assertTrue(days[31][0].startswith("23:30 L"), days[31])
            self.assertEqual([d for d in days if days[d]], [1, 15, 31])
            self.assertEqual(lines[-1], "3 posts in March 2030")
            self.assertNotIn("\x1b", r.stdout)  # not a terminal: no reverse video

    def test_a_narrow_terminal_gets_the_day_list(self):
        r = self.calendar("--month", "2030-03", *BERLIN, columns_env="50")
        self.assertEqual(r.returncode, 0, r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "March 2030 (Europe/Berlin)")
        self.assertEqual(lines[1], "Fri 2030-03-01  1 post")
        self.assertEqual(lines[2], "  00:30  scheduled  Just after midnight")
        self.assertIn("Sun 2030-03-31  1 post", lines)
        for line in lines:
            self.assertLessEqual(columns(line), 50, line)

    def test_this_month_by_default_with_today_marked(self):
        r, published = self.post("--to", "mastodon", "Right now.")
        self.assertEqual(r.returncode, 0, r)
        j = json.loads(self.calendar("--json", "--tz", "UTC").stdout)
        today = datetime.datetime.now(datetime.timezone.utc).date()
        self.assertEqual(j["month"], today.strftime("%Y-%m"))
        self.assertIn(published["id"], j["days"][today.day - 1]["posts"])
        grid = self.calendar("--tz", "UTC").stdout
        self.assertIn(f"|[{today.day}]", grid)
        self.assertEqual(grid.count("["), 1)

    def on_a_terminal(self, **env):
        """calendar's stdout on a pseudo-terminal, 100 columns wide."""
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        p = subprocess.Popen([harness.GROWTHCTL, "calendar", "--tz", "UTC"], stdout=follower, stderr=subprocess.PIPE,
                             env=self.sandbox.env(COLUMNS=None, **env))
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        os.close(leader)
        self.assertEqual(p.wait(timeout=30), 0, p.stderr.read())
        p.stderr.close()
        return out.decode("utf-8")

    def test_today_is_in_reverse_video_on_a_terminal_unless_no_color_or_dumb(self):
        day = datetime.datetime.now(datetime.timezone.utc).day
        self.assertIn(f"\x1b[7m[{day}]\x1b[0m", self.on_a_terminal(TERM="xterm", NO_COLOR=None))
        for env in ({"TERM": "xterm", "NO_COLOR": "1"}, {"TERM": "dumb", "NO_COLOR": None}):
            out = self.on_a_terminal(**env)
            self.assertNotIn("\x1b", out, env)
            self.assertIn(f"[{day}]", out)

    def test_bad_month_is_refused_with_exit_2(self):
        for month, message in (("2026-13", "--month '2026-13': month 13 does not exist (01..12)"),
                               ("foo", "--month must be YYYY-MM, e.g. 2026-12, not 'foo'")):
            r = self.calendar("--month", month)
            self.assertEqual(r.returncode, 2, r)
            self.assertEqual(r.stderr.splitlines()[0], "growthctl: error: " + message)
            self.assertEqual(r.stdout, "")
        r = self.calendar("--ics", "--json")
        self.assertEqual(r.returncode, 2, r)
        r = self.calendar("--tz", "Europe/Berln")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("Europe/Berlin", r.stderr)

    def test_ics_is_rfc_5545_octet_by_octet(self):
        raw = self.ics()
        self.assertTrue(raw.endswith(b"\r\n"))
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""))  # every line ends CRLF, no bare LF or CR
        self.assertNotIn(b"\r", raw.replace(b"\r\n", b""))
        physical = raw[:-2].split(b"\r\n")
        for line in physical:
            self.assertLessEqual(len(line), 75, line)
            line.decode("utf-8")  # whole UTF-8 sequences on every physical line
        self.assertTrue(any(len(line) == 75 for line in physical))  # the long text was folded
        unfolded = raw.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
        self.assertEqual(unfolded[:2], ["BEGIN:VCALENDAR", "VERSION:2.0"])
        uids = sorted(l for l in unfolded if l.startswith("UID:"))
        expected = sorted(f"UID:{self.ids[k]}@growth" for k in ("mar1", "mar15", "mar31", "apr1"))
        self.assertEqual(uids, expected)  # every scheduled post, not the cancelled one
        # Only March in Berlin with --month; the same UIDs again.
        march = self.ics("--month", "2030-03", *BERLIN).replace(b"\r\n ", b"").decode("utf-8")
        self.assertEqual(sorted(l for l in march.split("\r\n") if l.startswith("UID:")),
                         sorted(f"UID:{self.ids[k]}@growth" for k in ("mar1", "mar15", "mar31")))

    def test_more_posts_than_one_page_are_all_shown(self):
        # post.list pages hold at most 1000 posts: 1010 in one month cross a page boundary.
        client = self.sandbox.connect()
        extra = set()
        for k in range(1010):
            at = f"2030-05-{1 + k % 31:02}T{k % 24:02}:{k // 744 * 30 % 60:02}:{k % 60:02}Z"
            extra.add(client.result("post.schedule", {"at": at, "to": ["mastodon"], "text": f"bulk {k}"})["id"])
        j = json.loads(self.calendar("--month", "2030-05", "--tz", "UTC", "--json").stdout)
        self.assertEqual({p for d in j["days"] for p in d["posts"]}, extra)
        grid = self.calendar("--month", "2030-05", "--tz", "UTC").stdout.splitlines()
        self.assertEqual(grid[-1], "1010 posts in May 2030")
        uids = [l for l in self.ics().decode("utf-8").split("\r\n") if l.startswith("UID:")]
        self.assertEqual(len(uids), 1010 + 4)
        self.assertEqual(len(set(uids)), len(uids))

    def test_ics_reads_back_with_ical_js_and_keeps_uids_across_a_reschedule(self):
        if not ensure_ical():
            sys.stderr.write("\n*** SKIPPED: node/npm not found; the ical.js check did NOT run ***\n")
            self.skipTest("node/npm not available")
        r, published = self.post("--to", "mastodon", "Published, now.")
        self.assertEqual(r.returncode, 0, r)
        listed = {p["id"]: p for p in json.loads(self.ctl("list", "--json", "--limit", "100").stdout)["posts"]}

        def parsed():
            p = subprocess.run(["node", os.path.join(ICAL, "parse_ics.mjs")], input=self.ics(),
                               capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr.decode())
            return json.loads(p.stdout)

        cal = parsed()
        self.assertEqual(cal["version"], "2.0")
        self.assertTrue(cal["prodid"].startswith("-//growth//growthctl "))
        events = {e["uid"]: e for e in cal["events"]}
        self.assertEqual(sorted(events), sorted([f"{self.ids[k]}@growth" for k in ("mar1", "mar15", "mar31", "apr1")]
                                                + [f"{published['id']}@growth"]))
        for uid, e in events.items():
            post = listed[uid.split("@")[0]]
            self.assertTrue(e["dtstart"]["utc"], e)
            self.assertEqual(e["dtstart"]["text"], utc(post["due"]))
            self.assertTrue(e["description"].startswith(post["text"] + "\n\nTargets:\n"), e["description"])
            for t in post["targets"]:
                self.assertIn(f"{t['account']} ({t['platform']}): {t['state']}", e["description"])
            self.assertEqual(e["transp"], "TRANSPARENT")
            self.assertEqual(e["categories"][0], post["state"])
        tricky = events[f"{self.ids['mar15']}@growth"]
        self.assertEqual(tricky["dtstart"]["text"], "2030-03-15T08:00:00Z")
        self.assertTrue(tricky["summary"].startswith("Launch, finally; at last\\done 🧵 Second line"), tricky)
        self.assertEqual(tricky["status"], "TENTATIVE")
        self.assertEqual(tricky["categories"], ["scheduled", "mastodon", "bluesky"])
        now = events[f"{published['id']}@growth"]
        self.assertEqual((now["status"], now["categories"]), ("CONFIRMED", ["published", "mastodon"]))

        r = self.ctl("reschedule", self.ids["mar15"], "--at", "2030-03-16 10:00", *BERLIN)
        self.assertEqual(r.returncode, 0, r)
        moved = {e["uid"]: e for e in parsed()["events"]}
        self.assertEqual(sorted(moved), sorted(events))
        self.assertEqual(moved[f"{self.ids['mar15']}@growth"]["dtstart"]["text"], "2030-03-16T09:00:00Z")
