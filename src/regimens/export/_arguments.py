"""Arguments every output takes, checked once: ``blinded``."""

from __future__ import annotations

from ..errors import ExpandOptionTypeError

__all__ = ["blinded_argument"]


def blinded_argument(blinded: object) -> bool | None:
    """``blinded`` as the outputs take it: True (hide arm, dose and placebo everywhere),
    None (only in blinded periods) or False (nowhere).

    Raises:
        ExpandOptionTypeError: anything else: text such as ``"no"`` would be true and
            blind the whole output without a word.
    """
    if blinded is None or isinstance(blinded, bool):
        return blinded
    raise ExpandOptionTypeError("blinded", "True (hide arm, dose and placebo everywhere), None "
                                "(only in blinded periods) or False (nowhere)", blinded)
