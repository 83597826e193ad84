"""Coach's widgets: the chat transcript, the feedback panel, the session's status."""

from coach.app.widgets.feedback import CitationLink, FeedbackPanel
from coach.app.widgets.inputs import LongReply, ReplyInput
from coach.app.widgets.status import GoalProgress, SessionStatus
from coach.app.widgets.transcript import Bubble, Transcript

__all__ = ["Bubble", "CitationLink", "FeedbackPanel", "GoalProgress", "LongReply", "ReplyInput",
           "SessionStatus", "Transcript"]
