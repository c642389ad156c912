# ข้อความรอบหน้าเนื้อหา: เช็กลิสต์ คู่มือ และสายด่วน

checklists-intro = ติ๊กสิ่งที่ตรงกับคุณ แล้วดูว่าหมายความว่าอะไร สิ่งที่คุณติ๊กจะไม่ออกไปจากโทรศัพท์เครื่องนี้
checklist-private = สิ่งที่คุณติ๊กจะไม่ถูกบันทึกหรือส่งไปที่ไหน เว้นแต่คุณเลือกขอความช่วยเหลือเอง
checklist-tick-legend = ติ๊กทุกข้อที่ตรงกับคุณ
checklist-country-label = คุณอยู่หรือกำลังจะไปประเทศไหน
checklist-show-advice = ดูคำแนะนำของฉัน
checklist-advice-title = คำแนะนำสำหรับคุณ
advice-meaning-title = หมายความว่าอะไร
advice-action-title = ตอนนี้ควรทำอะไร
checklist-call-title = โทรหาใคร
checklist-ask-help = ขอความช่วยเหลือ

guides-intro = ขั้นตอนและค่าใช้จ่ายที่เป็นทางการ จากแหล่งข้อมูลทางการ ตรวจดูเว็บไซต์ทางการก่อนจ่ายเงินให้ใคร
guide-for-workers-from = สำหรับแรงงานจาก{ $country }
guides-safety-title = เมื่อเกิดปัญหา
guide-abroad-numbers = เบอร์ที่โทรได้จากต่างประเทศ
guide-section-who = สำหรับใคร
guide-section-steps = ขั้นตอนที่เป็นทางการ
guide-section-costs = ค่าใช้จ่ายทางการ และเงินที่ไม่มีใครเก็บจากคุณได้
guide-section-check-agent = วิธีตรวจสอบนายหน้าหรือที่ปรึกษา
guide-section-warnings = สัญญาณอันตราย
guide-section-links = เว็บไซต์ทางการ

contacts-intro = เบอร์โทรฟรีสำหรับขอความช่วยเหลือ แตะที่เบอร์เพื่อโทร
contact-call = โทร { $number }
contact-from-abroad = โทรจากต่างประเทศ:
contact-hours = เวลาที่รับสาย
contact-languages = ภาษา
contact-recheck = เรากำลังตรวจสอบเบอร์นี้อีกครั้ง เพราะแหล่งข้อมูลไม่ได้ระบุวันที่

sources-title = แหล่งข้อมูล
source-checked = ตรวจสอบล่าสุด { $date }
source-note = แหล่งข้อมูล { $number }
