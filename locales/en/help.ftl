# The help-request form, its answers and its errors.

help-title = Ask for help
help-intro = Send a short message to a support organisation. They will contact you in the way you choose. You do not need an account or an email address.
help-kind-label = What do you need help with?
help-kind-job-offer-check = Check a job offer
help-kind-in-trouble-abroad = I am in trouble abroad
help-kind-passport-held = Someone is keeping my passport
help-kind-not-paid = I am not being paid
help-kind-want-to-go-home = I want to go home
help-kind-other = Something else
help-country-label = Which country are you in now?
help-place-label = Province or city (you can leave this out)
help-channel-label = How can we contact you safely?
help-channel-phone = Phone call
help-channel-zalo = Zalo
help-channel-line = LINE
help-channel-messenger = Messenger
help-channel-whatsapp = WhatsApp
help-contact-label = Your number or name on that app
help-safe-time-label = When is it safe to contact you? (you can leave this out)
help-name-label = Your name or a nickname (you can leave this out)
help-message-label = A short message (you can leave this out)
help-language-label = Which language should we use?
help-ticked-label = Also send the signs I ticked in the checklist
help-consent-label = I agree: staff of the support organisation that runs this app will read this, and one of them will contact me the way I chose. Nobody else sees it.
# A field hidden from people: only robots fill it in.
help-honeypot-label = Leave this empty
help-send = Send
help-errors-title = Please check these answers
help-sent-title = Your request was sent
help-sent-reference = Your reference: { $reference }
help-sent-reference-hint = Write it down or remember it. Tell it to the person who calls you, or if you call a hotline.
help-sent-next = A support worker will contact you in the way you chose, as soon as they can. They will not share what you wrote.
help-sent-urgent = If you are in danger now, call:

country-vn = Vietnam
country-th = Thailand
country-mm = Myanmar
country-kh = Cambodia
country-la = Laos
country-my = Malaysia
country-nz = New Zealand
country-kr = South Korea
country-jp = Japan
country-tw = Taiwan
country-other = Another country

help-error-robot = This request could not be accepted. Please call a hotline instead.
help-error-id = This request could not be read. Please reload the page and send it again.
help-error-kind = Choose what you need help with.
help-error-country = Choose the country you are in.
help-error-channel = Choose how we can contact you.
help-error-language = Choose a language.
help-error-contact-missing = Write your number or your name on that app, so we can reach you.
help-error-contact-invalid = This is too long or has characters we cannot use. Use at most 100 letters and numbers.
help-error-contact-phone = This does not look like a phone number. Write only digits, spaces and +, for example +66 81 234 5678.
help-error-place = Use at most 100 characters, on one line.
help-error-safe-time = Use at most 100 characters, on one line.
help-error-name = Use at most 60 characters, on one line.
help-error-message = Use at most 1000 characters.
help-error-ticked = The ticked signs could not be read. Send the request without them.
help-error-consent = Tick the box to agree, so we can read your request.
help-error-unreadable = This request could not be read. Please reload the page and send it again.
help-error-not-json = This request was not sent in the app's format. Please reload the page and send it again.
help-error-cross-site = This request did not come from the app's own page, so it was not sent. Open the app and send it from there.
help-error-too-large = This request is too long. Please make the message shorter.
help-error-too-many = Too many requests came from this connection just now. Please wait a minute and send it again, or call a hotline if it is urgent.
help-error-unavailable = The service cannot take requests at this moment. Please try again in a few minutes.
help-error-id-reused = This request was sent before with other answers, so it was not sent again. Please check your answers and send it again.

# With JavaScript: the phone's outbox.
help-keep-label = Keep the reference on this phone after it is sent
help-saved = Saved on this phone. It will be sent by itself when you are online.
help-saved-delete = Delete it from this phone
help-refused = This request was not sent: some answers need correcting. Correct the answers marked below and send it again, or delete it.
help-refused-note = A help request on this phone was not sent. Open it to correct it.
help-kept-title = Your references
