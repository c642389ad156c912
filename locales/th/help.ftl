# แบบฟอร์มขอความช่วยเหลือ คำตอบ และข้อผิดพลาด

help-title = ขอความช่วยเหลือ
help-intro = ส่งข้อความสั้นๆ ถึงองค์กรช่วยเหลือ เขาจะติดต่อกลับตามช่องทางที่คุณเลือก ไม่ต้องมีบัญชีหรืออีเมล
help-kind-label = คุณต้องการความช่วยเหลือเรื่องอะไร
help-kind-job-offer-check = ตรวจสอบข้อเสนองาน
help-kind-in-trouble-abroad = ฉันกำลังมีปัญหาในต่างประเทศ
help-kind-passport-held = มีคนยึดพาสปอร์ตของฉันไว้
help-kind-not-paid = ฉันไม่ได้รับค่าจ้าง
help-kind-want-to-go-home = ฉันอยากกลับบ้าน
help-kind-other = เรื่องอื่น
help-country-label = ตอนนี้คุณอยู่ประเทศอะไร
help-place-label = จังหวัดหรือเมือง (ไม่ใส่ก็ได้)
help-channel-label = เราจะติดต่อคุณอย่างปลอดภัยได้ทางไหน
help-channel-phone = โทรศัพท์
help-channel-zalo = Zalo
help-channel-line = LINE
help-channel-messenger = Messenger
help-channel-whatsapp = WhatsApp
help-contact-label = เบอร์โทรหรือชื่อของคุณในแอปนั้น
help-safe-time-label = ติดต่อคุณเวลาไหนถึงจะปลอดภัย (ไม่ใส่ก็ได้)
help-name-label = ชื่อหรือชื่อเล่นของคุณ (ไม่ใส่ก็ได้)
help-message-label = ข้อความสั้นๆ (ไม่ใส่ก็ได้)
help-language-label = ให้เราใช้ภาษาอะไร
help-ticked-label = ส่งสัญญาณที่ฉันติ๊กในเช็กลิสต์ไปด้วย
help-consent-label = ฉันยินยอม: เจ้าหน้าที่ขององค์กรช่วยเหลือที่ดูแลแอปนี้จะอ่านข้อความนี้ และจะมีคนติดต่อฉันตามช่องทางที่ฉันเลือก ไม่มีคนอื่นเห็น
# A field hidden from people: only robots fill it in.
help-honeypot-label = เว้นช่องนี้ว่างไว้
help-send = ส่ง
help-errors-title = กรุณาตรวจคำตอบเหล่านี้
help-sent-title = ส่งคำขอของคุณแล้ว
help-sent-reference = รหัสอ้างอิงของคุณ: { $reference }
help-sent-reference-hint = จดหรือจำรหัสนี้ไว้ บอกรหัสนี้กับคนที่โทรหาคุณ หรือตอนโทรสายด่วน
help-sent-next = เจ้าหน้าที่จะติดต่อคุณตามช่องทางที่คุณเลือกโดยเร็วที่สุด และจะไม่เปิดเผยสิ่งที่คุณเขียน
help-sent-urgent = ถ้าตอนนี้คุณตกอยู่ในอันตราย ให้โทร:

country-vn = เวียดนาม
country-th = ไทย
country-mm = เมียนมา
country-kh = กัมพูชา
country-la = ลาว
country-my = มาเลเซีย
country-nz = นิวซีแลนด์
country-kr = เกาหลีใต้
country-jp = ญี่ปุ่น
country-tw = ไต้หวัน
country-other = ประเทศอื่น

help-error-robot = รับคำขอนี้ไม่ได้ กรุณาโทรสายด่วนแทน
help-error-id = อ่านคำขอนี้ไม่ได้ กรุณาโหลดหน้านี้ใหม่แล้วส่งอีกครั้ง
help-error-kind = เลือกเรื่องที่ต้องการความช่วยเหลือ
help-error-country = เลือกประเทศที่คุณอยู่
help-error-channel = เลือกช่องทางที่เราจะติดต่อคุณ
help-error-language = เลือกภาษา
help-error-contact-missing = เขียนเบอร์โทรหรือชื่อของคุณในแอปนั้น เพื่อให้เราติดต่อได้
help-error-contact-invalid = ยาวเกินไปหรือมีตัวอักษรที่ใช้ไม่ได้ ใช้ตัวอักษรและตัวเลขไม่เกิน 100 ตัว
help-error-contact-phone = ไม่เหมือนเบอร์โทรศัพท์ เขียนแค่ตัวเลข เว้นวรรค และเครื่องหมาย + เช่น +66 81 234 5678
help-error-place = ไม่เกิน 100 ตัวอักษร ในบรรทัดเดียว
help-error-safe-time = ไม่เกิน 100 ตัวอักษร ในบรรทัดเดียว
help-error-name = ไม่เกิน 60 ตัวอักษร ในบรรทัดเดียว
help-error-message = ไม่เกิน 1000 ตัวอักษร
help-error-ticked = อ่านสัญญาณที่ติ๊กไว้ไม่ได้ ให้ส่งคำขอโดยไม่ต้องแนบ
help-error-consent = ติ๊กช่องยินยอม เพื่อให้เราอ่านคำขอของคุณได้
help-error-unreadable = อ่านคำขอนี้ไม่ได้ กรุณาโหลดหน้านี้ใหม่แล้วส่งอีกครั้ง
help-error-not-json = คำขอนี้ไม่ได้ส่งมาในรูปแบบของแอป กรุณาโหลดหน้านี้ใหม่แล้วส่งอีกครั้ง
help-error-cross-site = คำขอนี้ไม่ได้มาจากหน้าของแอป จึงยังไม่ได้ส่ง กรุณาเปิดแอปแล้วส่งจากที่นั่น
help-error-too-large = คำขอนี้ยาวเกินไป กรุณาเขียนข้อความให้สั้นลง
help-error-too-many = มีคำขอจากการเชื่อมต่อนี้มากเกินไปในตอนนี้ กรุณารอสักหนึ่งนาทีแล้วส่งใหม่ หรือโทรสายด่วนถ้าเรื่องด่วน
help-error-unavailable = ตอนนี้ระบบยังรับคำขอไม่ได้ กรุณาลองใหม่ในอีกสักครู่
help-error-id-reused = คำขอนี้เคยส่งไปแล้วด้วยคำตอบอื่น ครั้งนี้จึงยังไม่ได้ส่ง กรุณาตรวจคำตอบแล้วส่งอีกครั้ง

# เมื่อมี JavaScript: กล่องรอส่งในโทรศัพท์
help-keep-label = เก็บรหัสอ้างอิงไว้ในโทรศัพท์นี้หลังส่งแล้ว
help-saved = เก็บไว้ในโทรศัพท์แล้ว จะส่งเองเมื่อคุณมีเน็ต
help-saved-delete = ลบออกจากโทรศัพท์นี้
help-refused = คำขอนี้ยังไม่ได้ส่ง เพราะมีคำตอบที่ต้องแก้ กรุณาแก้คำตอบที่มีเครื่องหมายด้านล่าง แล้วส่งอีกครั้ง หรือลบคำขอนี้
help-refused-note = มีคำขอความช่วยเหลือในโทรศัพท์เครื่องนี้ที่ยังไม่ได้ส่ง เปิดเพื่อแก้ไข
help-kept-title = รหัสอ้างอิงของคุณ
