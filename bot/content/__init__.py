"""Theme content: loading and validating the YAML catalogue."""

from bot.content.loader import Catalogue, ContentError, load_catalogue
from bot.content.schema import Quiz, QuizDistractor, Source, Theme, UrgentText

__all__ = [
    "Catalogue",
    "ContentError",
    "Quiz",
    "QuizDistractor",
    "Source",
    "Theme",
    "UrgentText",
    "load_catalogue",
]
