"""Coach's screens: home, conversation, report, briefing browser, confirmation.

Import each from its module (`coach.app.screens.home`...): the app loads the ones it does not
need at start-up on first use.
"""
