# ### DRAFT: no native S'gaw Karen speaker has reviewed these strings yet. ###

checklists-intro = ဖျိၣ်တၢ်လၢအမ့ၢ်တၢ်မ့ၢ်လၢနဂီၢ်, ဒီးကွၢ်ကဒါ အခီပညီ. တၢ်လၢနဖျိၣ်တဖၣ် တလဲၤထီၣ်ဆူ လီတဲစိအဂၤဘၣ်.
checklist-private = မ့ၢ်နတယုထၢ လၢကယ့ၢ်ကညးတၢ်မၤစၢၤ ဘၣ်န့ၣ်, တၢ်လၢနဖျိၣ်တဖၣ် တၢ်တဟံးဃာ်အီၤဘၣ်, ဒီး တၢ်တဆှၢထီၣ်အီၤ ဆူလီၢ်လဲၣ်ဘၣ်.
checklist-tick-legend = ဖျိၣ်တၢ်ခဲလၢာ် လၢအမ့ၢ်တၢ်မ့ၢ်လၢနဂီၢ်
checklist-country-label = နအိၣ်ဖဲ မ့တမ့ၢ် နကလဲၤဆူ ကီၢ်လဲၣ်.
checklist-show-advice = ဒုးနဲၣ်ယၤ တၢ်ဟ့ၣ်ကူၣ်
checklist-advice-title = တၢ်ဟ့ၣ်ကူၣ်လၢနဂီၢ်
advice-meaning-title = အခီပညီမ့ၢ်မနုၤ
advice-action-title = ခဲကိၢ်အံၤ ကမၤမနုၤ
checklist-call-title = ကိးဘၣ်မတၤ
checklist-ask-help = ယ့ၢ်ကညးတၢ်မၤစၢၤ

guides-intro = ကျဲဒီးအလဲအကၣ် လၢအဘၣ်ဖှိၣ်သဲစး, လၢတၢ်ဂ့ၢ်အခီၣ်ထံးလၢ ကီၢ်စၢ်ဖိ. ကွၢ်ဝဲ ပှာ်ယဲၤလၢ ကီၢ်စၢ်ဖိ တချုးနဟ့ၣ်စ့ ဆူပှၤတဂၤဂၤ.
guide-for-workers-from = လၢ ပှၤမၤတၢ်ဖိ လၢ { $country } အဂီၢ်
guides-safety-title = ဖဲတၢ်တမံၤမံၤ တဂ့ၤဘၣ်
guide-abroad-numbers = လီတဲစိ နီၣ်ဂံၢ် လၢနကိးသ့ လၢကီၢ်ဂၤ
guide-section-who = လၢမတၤအဂီၢ်
guide-section-steps = ကျဲလၢအဘၣ်ဖှိၣ်သဲစး
guide-section-costs = အလဲအကၣ်လၢအဘၣ်ဖှိၣ်သဲစး, ဒီးစ့ၢ်လၢပှၤတဂၤမ့ၤတဂၤ တဘၣ်ဟံးနၤ
guide-section-check-agent = ကသမံသမိး ပှၤဆဲးကျိး မ့တမ့ၢ် ပှၤဟ့ၣ်ကူၣ် ဒ်လဲၣ်
guide-section-warnings = တၢ်ပနီၣ်လၢတၢ်ဘၣ်ပလီၢ်သး
guide-section-links = ပှာ်ယဲၤလၢ ကီၢ်စၢ်ဖိ

contacts-intro = လီတဲစိနီၣ်ဂံၢ်တလက်စ့ၢ် လၢကယ့ၢ်ကညးတၢ်မၤစၢၤ. ဆဲးနီၣ်ဂံၢ် ဒ်သိးကကိး.
contact-call = ကိး { $number }
contact-from-abroad = ကိးလၢကီၢ်ဂၤ:
contact-hours = ဆၢကတီၢ်လၢအတူၢ်လိာ်
contact-languages = ကျိာ်
contact-recheck = ပသမံသမိး နီၣ်ဂံၢ်အံၤ ကဒီးတဘျီ, ခီဖျိလၢ အတၢ်ဂ့ၢ်အခီၣ်ထံး တအိၣ်ဒီးမုၢ်နံၤဘၣ်.

sources-title = တၢ်ဂ့ၢ်အခီၣ်ထံး
source-checked = သမံသမိးလီၤ လၢခံကတၢၢ် { $date }
source-note = တၢ်ဂ့ၢ်အခီၣ်ထံး { $number }
