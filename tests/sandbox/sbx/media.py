"""Tiny images served under /_sandbox/media/ so Instagram/Threads containers have a public URL."""

import base64

# A valid 1x1 baseline JPEG and a 1x1 PNG.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8Q"
    "EBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def media_for_path(path):
    """(content type, bytes) for /_sandbox/media/NAME.jpg|.jpeg|.png, None for anything else."""
    if not path.startswith("/_sandbox/media/"):
        return None
    name = path[len("/_sandbox/media/"):].lower()
    if not name or "/" in name:
        return None
    if name.endswith(".jpg") or name.endswith(".jpeg"):
        return "image/jpeg", JPEG
    if name.endswith(".png"):
        return "image/png", PNG
    return None
