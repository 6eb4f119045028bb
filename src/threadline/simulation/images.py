"""Small generated photos and the re-used copies ads carry (re-encoded, cropped, resized).

A base image is drawn from its own seed (coloured shapes on a background), so the
same base always gives the same pixels. Variants are what re-posting does to a
photo: a JPEG re-encode, a crop, a resize. Files are written the first time an ad
references them.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw

VARIANTS = ("orig", "jpeg", "crop", "small")


class PhotoLibrary:
    """Writes images under ``root/images`` on first use and remembers their hashes."""

    def __init__(self, root: Path, seed: int) -> None:
        self.dir = root / "images"
        self.seed = seed
        self._written: set[str] = set()
        self._phash: dict[int, str] = {}

    def _base(self, base: int) -> Image.Image:
        rng = random.Random(f"{self.seed}:photo:{base}")
        img = Image.new("RGB", (128, 128), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(img)
        for _ in range(rng.randint(4, 9)):
            x, y = rng.randrange(110), rng.randrange(110)
            w, h = rng.randint(12, 70), rng.randint(12, 70)
            colour = tuple(rng.randrange(256) for _ in range(3))
            if rng.random() < 0.5:
                draw.ellipse((x, y, x + w, y + h), fill=colour)
            else:
                draw.rectangle((x, y, x + w, y + h), fill=colour)
        return img

    def file(self, base: int, variant: str) -> str:
        """Relative path of a variant of a base image, writing it if needed."""
        ext = "png" if variant in ("orig", "small") else "jpg"
        name = f"images/photo{base:05d}_{variant}.{ext}"
        if name in self._written:
            return name
        img = self._base(base)
        if variant == "crop":
            img = img.crop((8, 6, 120, 124))
        elif variant == "small":
            img = img.resize((96, 96), Image.Resampling.BILINEAR)
        self.dir.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        if ext == "jpg":
            img.save(buf, format="JPEG", quality=72)
        else:
            img.save(buf, format="PNG", optimize=False)
        (self.dir / Path(name).name).write_bytes(buf.getvalue())
        self._written.add(name)
        return name

    def phash(self, base: int) -> str:
        """Perceptual hash (64-bit pHash, hex) of a base image, as a scraper may only keep."""
        if base not in self._phash:
            import imagehash

            self._phash[base] = str(imagehash.phash(self._base(base)))
        return self._phash[base]

    def reference(self, base: int, rng: random.Random) -> dict[str, str]:
        """How an ad refers to one of its photos: a file (some variant) or only a hash."""
        if rng.random() < 0.1:
            return {"phash": self.phash(base)}
        return {"file": self.file(base, rng.choice(VARIANTS))}
