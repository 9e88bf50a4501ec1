"""piaqa: question answering over 特定個人情報保護評価書 (Japanese privacy impact assessments)."""
from piaqa.config import VERSION as __version__

__all__ = ["__version__"]
