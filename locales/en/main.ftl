# UI strings shared by every page. English is the source every other locale translates.

app-name = Safe Migration Passport
# Each locale names itself here, in its own language and script, for the language switcher.
language-name = English
language-switcher-label = Language
skip-to-content = Skip to content
nav-label = Sections
nav-home = Home
nav-checklists = Checklists
nav-guides = Legal ways to go
nav-contacts = Hotlines
nav-help = Get help

quick-exit = Quick exit
quick-exit-hint = Leave this app at once for a weather website. Pressing Esc twice does the same.

home-title = Work abroad safely
home-intro = Check a job offer, learn the legal way to go, and know who to call if something goes wrong. Free, private, and it works without internet.
home-checklists-title = Is this job offer safe?
home-checklists-text = Tick the signs you see and find out what they mean.
home-guides-title = Legal ways to go
home-guides-text = Official steps and costs for New Zealand, Thailand, Korea, Japan and Taiwan.
home-contacts-title = Hotlines
home-contacts-text = Free numbers to call for help, by country.
home-help-title = Ask for help
home-help-text = Send a message to a support organisation. No account needed.
home-safety-title = If someone is watching you
home-safety-text = Press "Quick exit" at the top of the page, or press Esc twice. This app does not track you and shares nothing with anyone else.

coming-soon-text = This part of the app is being written. Please check again soon.
back-home = Back to the home page

not-found-title = Page not found
not-found-text = We could not find this page. It may have moved.

footer-privacy = This app does not track you. Nothing you read or tick here is sent anywhere.
