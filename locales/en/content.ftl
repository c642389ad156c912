# Words around the content pages: checklists, guides and contacts.

checklists-intro = Tick what is true for you and see what it means. Nothing you tick leaves this phone.
checklist-private = Nothing you tick is saved or sent anywhere, unless you choose to ask for help.
checklist-tick-legend = Tick everything that is true for you
checklist-country-label = Which country are you in, or going to?
checklist-show-advice = Show my advice
checklist-advice-title = Your advice
advice-meaning-title = What this means
advice-action-title = What to do now
checklist-call-title = Who to call
checklist-ask-help = Ask for help

guides-intro = The official steps and costs, from official sources. Check the official website before you pay anyone.
guide-for-workers-from = For workers from { $country }
guides-safety-title = If something goes wrong
guide-abroad-numbers = Numbers that work from abroad
guide-section-who = Who it is for
guide-section-steps = The official steps
guide-section-costs = Official costs, and what no one may charge you
guide-section-check-agent = How to check an agent or adviser
guide-section-warnings = Warning signs
guide-section-links = Official websites

contacts-intro = Free numbers to call for help. Tap a number to call it.
contact-call = Call { $number }
contact-from-abroad = From another country:
contact-hours = When it answers
contact-languages = Languages
contact-recheck = We are checking this number again, because its source has no date.

sources-title = Sources
source-checked = last checked { $date }
source-note = Source { $number }
