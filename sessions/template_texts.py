"""The paper template's guiding texts, as translatable strings.

The Swedish catalogue gives them word for word as in
shared/seed/mentorskap-mall.txt; English is our translation.
"""

from django.utils.translation import gettext_lazy as _

FIRST_MEETING_INTRO = _(
    "To establish the frame and conditions of your mentorship, it is valuable to reason together about its "
    "structure, content and focus, for example the following:"
)
PURPOSE_AND_GOALS = _(
    "The purpose and goals of a mentorship can vary depending on the individual's or the association's specific "
    "needs, experiences, conditions and ambitions. Define and agree on your purpose and goals with the mentorship:"
)
ROLES = _(
    "In a mentorship there are two parties, where the mentee is the one who drives the process while the mentor is "
    "expected to act as support, sounding board and discussion partner. At the same time, the mentor gets the "
    "opportunity to continuously reflect on the process and on their own starting points and perspectives. Define "
    "your different roles together and clarify their meaning, responsibilities and expectations:"
)
BOUNDARIES = _(
    "It is important to set clear boundaries and guidelines for what the mentorship should cover, so that both "
    "parties feel safe and comfortable with the subjects discussed. Agree on common rules of conduct, for example "
    "how and when you will communicate, which areas will be covered and the level of confidentiality."
)
ARRANGEMENTS = _(
    "Mentorships can vary in structure and approach. Define together how you choose to arrange your mentorship, "
    "for example in what way and how often you will meet and how any costs will be handled."
)
CONFIDENTIALITY_HELP = _(
    "Decides what the program's coordinator may read. The coordinator always sees dates, counts and status, "
    "never more than you choose here."
)
