"""Coach's screens: home, conversation, report, briefing browser, confirmation."""

from coach.app.screens.briefing import BriefingScreen
from coach.app.screens.confirm import ConfirmScreen
from coach.app.screens.conversation import ConversationScreen
from coach.app.screens.home import HomeScreen
from coach.app.screens.report import ReportScreen

__all__ = ["BriefingScreen", "ConfirmScreen", "ConversationScreen", "HomeScreen", "ReportScreen"]
