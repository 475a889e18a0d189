"""The demo's photos: illustrations drawn here for the demo (coloured shapes and a title), never pictures of people.

Each says „Демонстрационна илюстрация“ on itself, is marked `is_demo` with the credit „Демо“, and
goes through the same re-encoding as an editor's upload (db/attachments.prepare_image). Consent is
set every way, so that the demo shows what a viewer does not see: some „да“, some „няма деца на
снимката“, some „не“ (seen by editors only). Drawn from fixed seeds: the same demo every time.
"""

from __future__ import annotations

import io
import random
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.attachments import prepare_image
from db.models import Activity, Attachment

# How many of the newest held demo activities get an illustration, and the consent of each in turn.
ILLUSTRATED = 10
CONSENTS_IN_TURN = ("yes", "no_children", "no", "yes", "yes", "no_children", "no", "yes", "no_children", "yes")
# Every third illustrated activity gets a second picture.
SECOND_EVERY = 3
WIDTH, HEIGHT = 960, 640
TITLE = "Демонстрационна илюстрация"
SUBTITLE = "измислена за примера, не е снимка от училището"
CREDIT = "Демо"
# A font with Cyrillic where Debian (and .ci/run) has it; without it the shapes are drawn and the title
# in Pillow's own font (its Cyrillic may show as boxes, the picture stays an obvious illustration).
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
)
PALETTES = (
    ((0, 114, 178), (230, 159, 0), (86, 180, 233)),
    ((0, 158, 115), (240, 228, 66), (213, 94, 0)),
    ((204, 121, 167), (0, 114, 178), (240, 228, 66)),
    ((213, 94, 0), (86, 180, 233), (0, 158, 115)),
)


def _font(size: int) -> Any:
    from PIL import ImageFont

    for path in FONTS:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


@cache
def illustration(number: int) -> bytes:
    """The demo's illustration number `number` as a PNG (cached: each demo load draws none again)."""
    from PIL import Image, ImageDraw

    rng = random.Random(8_04_2014 + number)
    back, first, second = PALETTES[number % len(PALETTES)]
    image = Image.new("RGB", (WIDTH, HEIGHT), back)
    draw = ImageDraw.Draw(image)
    for _ in range(7):
        x, y = rng.randrange(-80, WIDTH), rng.randrange(120, HEIGHT + 40)
        size = rng.randrange(70, 230)
        colour = rng.choice((first, second, (255, 255, 255)))
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + size, y + size), fill=colour)
        else:
            draw.polygon(((x, y + size), (x + size // 2, y), (x + size, y + size)), fill=colour)
    draw.rectangle((0, 0, WIDTH, 120), fill=(255, 255, 255))
    draw.text((40, 22), TITLE, font=_font(44), fill=(40, 40, 40))
    draw.text((40, 78), SUBTITLE, font=_font(24), fill=(90, 90, 90))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@cache
def _prepared(number: int) -> Any:
    return prepare_image(illustration(number))


def add_demo_photos(session: Session) -> int:
    """Illustrate the newest held demo activities (in the session's transaction); returns how many pictures."""
    chosen = session.scalars(
        select(Activity)
        .where(Activity.is_demo.is_(True), Activity.status == "held")
        .order_by(Activity.start_date.desc(), Activity.id.desc())
        .limit(ILLUSTRATED)
    ).all()
    count = 0
    for turn, activity in enumerate(chosen):
        pictures = 2 if turn % SECOND_EVERY == 0 else 1
        for position in range(1, pictures + 1):
            prepared = _prepared(count)
            session.add(
                Attachment(
                    activity_id=activity.id,
                    kind="photo",
                    media_type=prepared.media_type,
                    file_name=f"demo-{count + 1:02d}.jpg",
                    data=prepared.data,
                    thumbnail=prepared.thumbnail,
                    sha256=prepared.sha256,
                    byte_size=len(prepared.data),
                    width=prepared.width,
                    height=prepared.height,
                    caption=f"Илюстрация към „{activity.title}“",
                    credit=CREDIT,
                    consent=CONSENTS_IN_TURN[turn % len(CONSENTS_IN_TURN)],
                    position=position,
                    is_demo=True,
                    created_by="demo",
                )
            )
            count += 1
    return count
