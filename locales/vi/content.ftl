# Chữ quanh các trang nội dung: tự kiểm tra, hướng dẫn và đường dây nóng.

checklists-intro = Đánh dấu những điều đúng với bạn và xem chúng có nghĩa là gì. Những gì bạn đánh dấu không rời khỏi điện thoại này.
checklist-private = Những gì bạn đánh dấu không được lưu lại hay gửi đi đâu, trừ khi bạn chọn xin giúp đỡ.
checklist-tick-legend = Đánh dấu mọi điều đúng với bạn
checklist-country-label = Bạn đang ở hoặc sắp đi nước nào?
checklist-show-advice = Xem lời khuyên cho tôi
checklist-advice-title = Lời khuyên cho bạn
advice-meaning-title = Điều này có nghĩa là gì
advice-action-title = Bây giờ bạn nên làm gì
checklist-call-title = Gọi cho ai
checklist-ask-help = Xin giúp đỡ

guides-intro = Các bước và chi phí chính thức, lấy từ nguồn chính thức. Hãy xem trang web chính thức trước khi trả tiền cho bất kỳ ai.
guide-for-workers-from = Dành cho người lao động từ { $country }
guides-safety-title = Khi gặp chuyện không ổn
guide-abroad-numbers = Số gọi được từ nước ngoài
guide-section-who = Dành cho ai
guide-section-steps = Các bước chính thức
guide-section-costs = Chi phí chính thức, và những khoản không ai được thu của bạn
guide-section-check-agent = Cách kiểm tra người môi giới hoặc tư vấn
guide-section-warnings = Dấu hiệu cảnh báo
guide-section-links = Trang web chính thức

contacts-intro = Các số điện thoại miễn phí để xin giúp đỡ. Chạm vào số để gọi.
contact-call = Gọi { $number }
contact-from-abroad = Gọi từ nước khác:
contact-hours = Giờ trả lời
contact-languages = Ngôn ngữ
contact-recheck = Chúng tôi đang kiểm tra lại số này, vì nguồn của nó không ghi ngày.

sources-title = Nguồn
source-checked = kiểm tra lần cuối { $date }
source-note = Nguồn { $number }
