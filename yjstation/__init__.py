"""yjstation: the operators' toolkit for a county's rural e-commerce service stations."""

from __future__ import annotations

__version__ = "0.1.0"
