"""Chinese names in Chinese characters: surname and given name, compared character by character.

A Chinese name is written without a space, surname first ("王小明"): split it so its
pinyin parts meet "Wang Xiaoming" or "Xiaoming Wang" part for part. The given name is
one name, so it is compared whole: "伟" is Wei and never Wen, however close the letters.
Two names in characters are the same only when their characters are (traditional and
simplified forms alike, by ICU's transform): many characters share one pinyin
("石" and "市" are both shi), so pinyin alone cannot say two written names agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from threadline.primitives.translit import icu_transform

__all__ = ["is_han", "simplified", "split_name"]

# Two-character surnames (Ouyang, Sima, Zhuge, Shangguan, Situ, Dongfang, Huangfu,
# Yuchi, Gongsun, Murong, Zhangsun, Xiahou, Xuanyuan, Linghu), simplified and traditional.
_DOUBLE_SURNAMES = frozenset({
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "司徒", "东方", "東方", "皇甫",
    "尉迟", "尉遲", "公孙", "公孫", "慕容", "长孙", "長孫", "夏侯", "轩辕", "軒轅", "令狐",
})  # fmt: skip
_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0002fa1f]+")


def is_han(text: str) -> bool:
    """True when every character of ``text`` is a Chinese character (CJK ideograph)."""
    return _HAN.fullmatch(text) is not None


def split_name(text: str) -> list[str]:
    """A Chinese full name written as one run (王小明) as surname and given name."""
    if not is_han(text) or not 2 <= len(text) <= 4:
        return [text]
    cut = 2 if text[:2] in _DOUBLE_SURNAMES and len(text) > 2 else 1
    return [text[:cut], text[cut:]]


@lru_cache(maxsize=50_000)
def simplified(text: str) -> str:
    """``text`` in simplified characters (as written when ICU is not available)."""
    transform = icu_transform("Traditional-Simplified")
    return str(transform.transliterate(text)) if transform is not None else text
