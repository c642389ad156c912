# ### DRAFT: no native S'gaw Karen speaker has reviewed these strings yet. ###
# တၢ်ဃ့ကညးတၢ်မၤစၢၤ အလံာ်, အတၢ်စံးဆၢ ဒီး အတၢ်ကမၣ်တဖၣ်.

help-title = ယ့ၢ်ကညးတၢ်မၤစၢၤ
help-intro = ဆှၢ တၢ်ကစီၣ် ဖုၣ်ဖုၣ် ဆူ ကရၢ လၢအမၤစၢၤပှၤ. အဝဲသ့ၣ် ကဆဲးကျိးနၤ ဒ်နယုထၢအသိး. နတလိၣ် တၢ်ဆဲးလီၤမံၤ (account) မ့တမ့ၢ် အံမ့ၤ (email) ဘၣ်.
help-kind-label = နလိၣ်ဘၣ် တၢ်မၤစၢၤ လၢတၢ်မနုၤအဂီၢ်.
help-kind-job-offer-check = သမံသမိး တၢ်မၤအတၢ်ကွဲ
help-kind-in-trouble-abroad = ယအိၣ်ဒီး တၢ်ကီတၢ်ခဲ လၢကီၢ်ဂၤ
help-kind-passport-held = ပှၤတဂၤ ဟံးဃာ် ယလံာ်ဖီၣ်ခိၣ်
help-kind-not-paid = တၢ်တဟ့ၣ် ယလါလဲ
help-kind-want-to-go-home = ယဆဲၣ်ကဟဲက့ၤ ဆူဟံၣ်
help-kind-other = တၢ်အဂၤ
help-country-label = ခဲကနံၣ်အံၤ နအိၣ်လၢ ကီၢ်မနုၤ.
help-place-label = ကီၢ်ဆၢ မ့တမ့ၢ် ဝ့ၢ် (တကွဲးဘၣ်လၢၤ ကီၢ်သ့)
help-channel-label = ပဆဲးကျိး နၤ ဒ်လဲၣ် ကအံၣ်ကူၣ်ဘှီ.
help-channel-phone = ကိး လီတဲစိ
help-channel-zalo = Zalo
help-channel-line = LINE
help-channel-messenger = Messenger
help-channel-whatsapp = WhatsApp
help-contact-label = နလီတဲစိ နီၣ်ဂံၢ် မ့တမ့ၢ် နမံၤ လၢ app န့ၣ် အပူၤ
help-safe-time-label = ဆဲးကျိး နၤ ဖဲလဲၣ် ကအံၣ်ကူၣ်ဘှီ. (တကွဲးဘၣ်လၢၤ ကီၢ်သ့)
help-name-label = နမံၤ မ့တမ့ၢ် နမံၤလၢပှၤကိးနၤ (တကွဲးဘၣ်လၢၤ ကီၢ်သ့)
help-message-label = တၢ်ကစီၣ် ဖုၣ်ဖုၣ် (တကွဲးဘၣ်လၢၤ ကီၢ်သ့)
help-language-label = ပကစူၤကါ ကျိာ်မနုၤ.
help-ticked-label = ဆှၢဃုာ် တၢ်ပနီၣ် လၢယဖျိၣ်ဃာ် လၢ တၢ်သမံသမိး အပူၤ
help-consent-label = ယအာၣ်လီၤ: ကရၢ လၢအမၤစၢၤပှၤ ဒီး အကွၢ်ထွဲ ပရိၣ်ဂ့ၤအံၤ အပှၤမၤတၢ်ဖိ ကဖးဝဲ တၢ်ကစီၣ်အံၤ, ဒီး အဝဲသ့ၣ် တဂၤ ကဆဲးကျိးယၤ ဒ်ယယုထၢအသိး. ပှၤအဂၤ တထံၣ်ဘၣ်.
# A field hidden from people: only robots fill it in.
help-honeypot-label = တကွဲး နီတမံၤ လၢတၢ်အံၤ
help-send = ဆှၢ
help-errors-title = ဝံသးစူၤ သမံသမိးကွၢ် တၢ်စံးဆၢ တဖၣ်အံၤ
help-sent-title = တၢ်ဆှၢ နတၢ်ဃ့ ဝံၤလံ
help-sent-reference = နနီၣ်ဂံၢ် (reference): { $reference }
help-sent-reference-hint = ကွဲးနီၣ် မ့တမ့ၢ် သ့ၣ်နီၣ်ဃာ်အီၤ. ဟ့ၣ် အီၤ ဆူ ပှၤလၢအကိးနၤ, မ့တမ့ၢ် ဖဲနကိး လီတဲစိ တၢ်မၤစၢၤ.
help-sent-next = ပှၤမၤစၢၤတၢ် ကဆဲးကျိးနၤ ဒ်နယုထၢအသိး ချ့ချ့. အဝဲသ့ၣ် တဟ့ၣ်ထီၣ် တၢ်လၢနကွဲး ဆူပှၤအဂၤ ဘၣ်.
help-sent-urgent = မ့ၢ်နအိၣ်လၢ တၢ်လီၤဘၣ်ယိၣ် အပူၤ ခဲကနံၣ်အံၤ, ကိး:

country-vn = ကီၢ်ဝံယဲးနမ် (Vietnam)
country-th = ကီၢ်ထဲ (Thailand)
country-mm = ကီၢ်ပယီၤ (Myanmar)
country-kh = ကီၢ်ခမ့ၣ်ဘီၣ်ဒံၣ်ယါ (Cambodia)
country-la = ကီၢ်လၣ်အိၣ် (Laos)
country-my = ကီၢ်မၤလ့ၣ်ရှါ (Malaysia)
country-nz = ကီၢ်နယူစံလဲၣ် (New Zealand)
country-kr = ကီၢ်ကိရံယါ (South Korea)
country-jp = ကီၢ်ယပၤ (Japan)
country-tw = ကီၢ်ထဲဝၢၣ် (Taiwan)
country-other = ကီၢ်အဂၤ

help-error-robot = တၢ်ဒိးန့ၢ် တၢ်ဃ့အံၤ တသ့ဘၣ်. ဝံသးစူၤ ကိး လီတဲစိ တၢ်မၤစၢၤ.
help-error-id = တၢ်ဖးဘၣ် တၢ်ဃ့အံၤ တသ့ဘၣ်. ဝံသးစူၤ အိးထီၣ် ကဘျံးပၤ ကဒီးတဘျီ ဒီး ဆှၢ ကဒီးတဘျီ.
help-error-kind = ယုထၢ တၢ်လၢနလိၣ်ဘၣ် တၢ်မၤစၢၤ အဂီၢ်.
help-error-country = ယုထၢ ကီၢ် လၢနအိၣ်.
help-error-channel = ယုထၢ ကျဲ လၢပကဆဲးကျိးနၤ.
help-error-language = ယုထၢ ကျိာ်တကျိာ်.
help-error-contact-missing = ကွဲး နလီတဲစိ နီၣ်ဂံၢ် မ့တမ့ၢ် နမံၤ လၢ app န့ၣ် အပူၤ, ဒ်သိး ပကဆဲးကျိးနၤ သ့.
help-error-contact-invalid = အံၤ ဃံၤကဲၣ်ဆီး မ့တမ့ၢ် အိၣ်ဒီး လံာ်မဲာ်ဖျၢၣ် လၢပစူၤကါ တသ့. ကွဲး လံာ်မဲာ်ဖျၢၣ် ဒီး နီၣ်ဂံၢ် တအါန့ၢ် 100 ဘၣ်.
help-error-contact-phone = အံၤ တဒ် လီတဲစိ နီၣ်ဂံၢ် ဘၣ်. ကွဲး နီၣ်ဂံၢ်, တၢ်လီၢ်ကလီ ဒီး + ဒၣ်ဝဲ, ဒ်သိး +66 81 234 5678.
help-error-place = တအါန့ၢ် 100 လံာ်မဲာ်ဖျၢၣ်, လၢ တကျိၤ အပူၤ.
help-error-safe-time = တအါန့ၢ် 100 လံာ်မဲာ်ဖျၢၣ်, လၢ တကျိၤ အပူၤ.
help-error-name = တအါန့ၢ် 60 လံာ်မဲာ်ဖျၢၣ်, လၢ တကျိၤ အပူၤ.
help-error-message = တအါန့ၢ် 1000 လံာ်မဲာ်ဖျၢၣ်.
help-error-ticked = တၢ်ဖးဘၣ် တၢ်ပနီၣ် လၢနဖျိၣ်ဃာ် တသ့ဘၣ်. ဆှၢ တၢ်ဃ့ ဖဲတအိၣ်ဒီးအီၤ.
help-error-consent = ဖျိၣ် ဒၢ တၢ်အာၣ်လီၤ, ဒ်သိး ပကဖး နတၢ်ဃ့ သ့.
help-error-unreadable = တၢ်ဖးဘၣ် တၢ်ဃ့အံၤ တသ့ဘၣ်. ဝံသးစူၤ အိးထီၣ် ကဘျံးပၤ ကဒီးတဘျီ ဒီး ဆှၢ ကဒီးတဘျီ.
help-error-not-json = တၢ်ဃ့အံၤ တဆှၢအီၤ ဒ်သိး အ့ၣ်ပလံၤ အကျိၤအကျဲ အသိး ဘၣ်. ဝံသးစူၤ အိးထီၣ် ကဘျံးပၤ ကဒီးတဘျီ ဒီး ဆှၢ ကဒီးတဘျီ.
help-error-cross-site = တၢ်ဃ့အံၤ တဟဲလၢ အ့ၣ်ပလံၤ အကဘျံးပၤ ဘၣ်, ဒ်အံၤ အဝဲ တဆှၢအီၤ ဘၣ်. ဝံသးစူၤ အိးထီၣ် အ့ၣ်ပလံၤ ဒီး ဆှၢအီၤ လၢအပူၤ.
help-error-too-large = တၢ်ဃ့အံၤ ဃံၤကဲၣ်ဆီး. ဝံသးစူၤ ကွဲး တၢ်ကစီၣ် ဖုၣ်ထီၣ်.
help-error-too-many = တၢ်ဃ့ အါကဲၣ်ဆီး ဟဲလၢ တၢ်ဆဲးကျိးအံၤ ခဲကနံၣ်အံၤ. ဝံသးစူၤ အိၣ်ခိး မီနံး တဘ့ၣ် ဒီး ဆှၢ ကဒီးတဘျီ, မ့တမ့ၢ် ကိး လီတဲစိ တၢ်မၤစၢၤ မ့ၢ်တၢ်အံၤ ဆူၣ်.
help-error-unavailable = ခဲကနံၣ်အံၤ တၢ်မၤစၢၤ ဒိးန့ၢ် တၢ်ဃ့ တသ့ ဒံးဘၣ်. ဝံသးစူၤ ဂ့ၤကျဲး ကဒီးတဘျီ ဖဲ မီနံး တနီၤ ဝံၤ.
help-error-id-reused = တၢ်ဃ့အံၤ တၢ်ဆှၢဝံၤလံ ဒီး တၢ်စံးဆၢ အဂၤ. ဝံသးစူၤ ကွၢ် နတၢ်စံးဆၢ ဒီး ဆှၢ ကဒီးတဘျီ.

# DRAFT. ဖဲအိၣ်ဒီး JavaScript: တၢ်ဆှၢ လၢအအိၣ်ခိးဃာ် လၢလီတဲစိ အပူၤ.
help-keep-label = ဟံးဃာ် နနီၣ်ဂံၢ် (reference) လၢလီတဲစိအံၤ အပူၤ ဖဲတၢ်ဆှၢ ဝံၤအလီၢ်ခံ
help-saved = တၢ်ဟံးဃာ်အီၤ လၢလီတဲစိ အပူၤ ဝံၤလံ. ကဆှၢ ထီၣ်ဝဲ ဒၣ်ဝဲ ဖဲနအိၣ်ဒီး အ့ထၢၣ်နဲး.
help-saved-delete = ထူးသံအီၤ လၢလီတဲစိအံၤ အပူၤ
help-refused = တၢ်ဃ့ကညးတၢ်မၤစၢၤ အံၤ တၢ်တဆှၢထီၣ်ဒံးဘၣ်. ဝံသးစူၤ သမံသမိးကွၢ် တၢ်စံးဆၢ တဖၣ်အံၤ, ဒီး ဆှၢ ကဒီးတဘျီ.
help-refused-note = တၢ်ဃ့ကညးတၢ်မၤစၢၤ တခါ လၢလီတဲစိအံၤ အပူၤ တၢ်တဆှၢထီၣ်ဒံးဘၣ်.
help-kept-title = နနီၣ်ဂံၢ် (reference) တဖၣ်
