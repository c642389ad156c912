# The privacy notice, and "clear this phone".

privacy-link = Privacy, and clearing this phone
privacy-title = Privacy: what this app keeps
privacy-intro = You can use this app without an account. Here is everything it keeps, where, and for how long.
privacy-phone-title = On this phone
privacy-phone = The app remembers the language you chose. If you keep the app for use without internet, its pages are saved in this browser. A help request waits on this phone until it is sent, and is then deleted; only its reference code stays, and only if you chose to keep it. What you tick in a checklist is never saved.
privacy-request-title = When you send a help request
privacy-request = It holds only what you wrote in the form: the kind of help, your country and place, how and when to contact you, your name or nickname if you gave one, your message, and the checklist signs you chose to send. Nothing else about you or your phone is sent.
privacy-who-title = Who sees it
privacy-who = Only staff of the support organisation that runs this app can open your request. Each time one of them opens or changes it, this is recorded.
privacy-kept-title = How long it is kept
privacy-kept = When the staff close your request, it is deleted { $days } days later. A request that is never closed is deleted { $open } days after it arrived.
privacy-delete-title = How to delete it
privacy-delete = To remove everything this app saved on this phone, use "Clear this phone" below. To have a request you already sent deleted sooner, tell the support worker who contacts you, and give your reference code.
privacy-no-tracking = This app shows no advertising, counts no visitors, and loads nothing from other websites.
clear-title = Clear this phone
clear-text = This removes everything the app saved in this browser: the pages kept for use without internet, your language choice, and any help request not sent yet. Then the app closes and shows a neutral website. It does not clear the browser's history: do that in the browser's settings.
clear-button = Clear this phone
clear-unsent = A help request on this phone has not been sent yet. If you clear the phone now, it will be lost.
clear-anyway = Clear anyway
clear-keep = Keep it, do not clear now
privacy-exit-title = Quick exit
privacy-exit = The red button at the top of every page, or Esc pressed twice, leaves the app at once for a weather website, or a plain weather page when there is no internet. It replaces the page you were on, so the Back button does not return to it. It cannot hide everything: pages you opened before are still in the browser's history. To leave no history, open the app in a private (incognito) tab, or clear the history in the browser's settings.
privacy-sealed-title = Locked so that only the right staff can read it
privacy-sealed = What you write is locked (encrypted) before it is saved, on the organisation's computer. Only staff who have been given access can unlock it, each with their own password. If someone takes or copies that computer, they can see only the kind of help, the country, the language, the way you chose to be contacted (for example Zalo, but not your number or account), when it arrived and how far it has got. They cannot see your name, your number, your place, your message or the signs you sent.
privacy-sealed-lost = The organisation keeps a recovery key on paper, so that staff can be given access again if a password is forgotten. If every staff password and the recovery key were lost, no one could open the requests any more, not even the organisation: they would be gone.
