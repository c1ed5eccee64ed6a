"""Tiny images served under /_sandbox/media/ so Instagram/Threads containers have a public URL."""

import base64

# A valid 1x1 baseline JPEG, a 1x1 PNG, and an MP4 header (ftyp box) for video URL checks.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8Q"
    "EBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

MP4 = bytes.fromhex("00000018667479706d703432000000006d7034326973736f6d")


def media_for_path(path):
    """(content type, bytes) for /_sandbox/media/NAME.jpg|.jpeg|.png|.mp4, None for anything else."""
    if not path.startswith("/_sandbox/media/"):
        return None
    name = path[len("/_sandbox/media/"):].lower()
    if not name or "/" in name:
        return None
    if name.endswith(".jpg") or name.endswith(".jpeg"):
        return "image/jpeg", JPEG
    if name.endswith(".png"):
        return "image/png", PNG
    if name.endswith(".mp4"):
        return "video/mp4", MP4
    return None
