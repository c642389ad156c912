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
home-safety-text = Press the red "Quick exit" button at the top of every page: a weather website replaces the app at once, and Back does not bring it back. This app does not track you and shares nothing with anyone else.
home-safety-keys = On a computer, pressing Esc twice does the same.

back-home = Back to the home page

not-found-title = Page not found
not-found-text = We could not find this page. It may have moved.
# Shown when the database cannot be reached for a moment; the page itself is fine.
unavailable-text = The app cannot show this page at this moment. Please try again in a few minutes.

footer-privacy = This app does not track you. Nothing you read or tick here is sent anywhere.

# Offline use. The app name on a phone's home screen: keep it short.
app-short-name = Passport
offline-link = Use without internet
offline-title = Use this app without internet
offline-intro = Keep this app on your phone. Then it opens and works with no signal. Choose the languages to keep.
offline-languages = Languages to keep on this phone
offline-size = Download: about { $size }
offline-keep = Keep for offline
offline-progress = Download progress
offline-ready = Ready offline. Last updated { $date }.
offline-status-none = Not kept on this phone yet.
offline-error = The download stopped. It will go on when you are online again.
offline-unsupported = This browser cannot keep the app for offline use. You can still read it while you are online.
offline-persist-granted = This phone will keep the app, even when space runs low.
offline-persist-denied = This phone may remove the kept app when space runs low. Open the app now and then to keep it.
offline-fallback = This page is not kept on this phone. Connect to the internet to open it, or open another page from the menu.
offline-indicator = You are offline. Kept pages still work.
offline-cached-age = You are reading the copy kept on this phone on { $date }.
offline-audio = Keep audio too
offline-audio-size = Keep audio too ({ $size })
update-ready = New content is ready.
update-reload = Show it now

# The neutral page quick exit goes to without a network: it must not name the app.
neutral-title = Weather
neutral-text = The forecast could not be loaded. Check your internet connection and try again.

# The share page: the app's address as a QR code.
share-link = Share this app
share-title = Share this app
share-intro = Show this code to someone: they point their phone's camera at it to open the app in this language.
share-hint = Opening it once with internet is enough: afterwards the app works without internet too.
share-hub-expired = This hub's certificate for { $name } has expired: phones can read the app here but cannot keep it for use offline. It is renewed when the hub next reaches the NGO's server.
share-hub-no-certificate = This hub has no certificate for { $name } yet: phones can read the app here but cannot keep it for use offline. It arrives when the hub next reaches the NGO's server.
share-button = Share the link
share-text = Information to work abroad safely, in your language.
booklet-link = Print the safety booklet
booklet-title = The safety booklet
guide-frontline-link = For outreach workers: how to help
booklet-intro = The checklists, the legal ways to go and the numbers to call, in a small booklet.
booklet-scan = Scan this code to open the app in your language. Open it once with internet: after that it works without internet too.
booklet-safety = If someone controls your phone or your papers, keep this booklet where they will not find it.
booklet-print-hint = Print it on A6 paper, or on A4 with four pages to a sheet, then fold or cut.
booklet-print = Print
booklet-if-ticked = If you ticked any of these:
booklet-if-unticked = If you could not tick all of these:
booklet-hours = When it answers: { $hours }

failed-title = Something went wrong
failed-text = Something went wrong on our side. Go back and try again in a moment.

listen = Listen
listen-voice = Listen with the phone's voice
listen-all = Listen to all
listen-stop = Stop
listen-headphones = 🎧 Others nearby? Use headphones.
