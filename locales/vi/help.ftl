# Mẫu xin giúp đỡ, câu trả lời và các lỗi.

help-title = Xin giúp đỡ
help-intro = Gửi một tin nhắn ngắn cho tổ chức hỗ trợ. Họ sẽ liên lạc với bạn theo cách bạn chọn. Bạn không cần tài khoản hay email.
help-kind-label = Bạn cần giúp việc gì?
help-kind-job-offer-check = Kiểm tra một lời mời làm việc
help-kind-in-trouble-abroad = Tôi đang gặp khó khăn ở nước ngoài
help-kind-passport-held = Có người đang giữ hộ chiếu của tôi
help-kind-not-paid = Tôi không được trả lương
help-kind-want-to-go-home = Tôi muốn về nhà
help-kind-other = Việc khác
help-country-label = Bây giờ bạn đang ở nước nào?
help-place-label = Tỉnh hoặc thành phố (có thể bỏ trống)
help-channel-label = Chúng tôi liên lạc với bạn thế nào cho an toàn?
help-channel-phone = Gọi điện thoại
help-channel-zalo = Zalo
help-channel-line = LINE
help-channel-messenger = Messenger
help-channel-whatsapp = WhatsApp
help-contact-label = Số điện thoại hoặc tên của bạn trên ứng dụng đó
help-safe-time-label = Lúc nào liên lạc với bạn thì an toàn? (có thể bỏ trống)
help-name-label = Tên hoặc biệt danh của bạn (có thể bỏ trống)
help-message-label = Tin nhắn ngắn (có thể bỏ trống)
help-language-label = Chúng tôi nên dùng ngôn ngữ nào?
help-ticked-label = Gửi kèm những dấu hiệu tôi đã đánh dấu trong danh sách
help-consent-label = Tôi đồng ý: nhân viên của tổ chức hỗ trợ quản lý ứng dụng này sẽ đọc tin này, và một người sẽ liên lạc với tôi theo cách tôi chọn. Không ai khác được xem.
# A field hidden from people: only robots fill it in.
help-honeypot-label = Để trống ô này
help-send = Gửi
help-errors-title = Vui lòng xem lại các câu trả lời này
help-sent-title = Yêu cầu của bạn đã được gửi
help-sent-reference = Mã số của bạn: { $reference }
help-sent-reference-hint = Hãy ghi lại hoặc nhớ mã này. Nói mã này cho người gọi cho bạn, hoặc khi bạn gọi đường dây nóng.
help-sent-next = Nhân viên hỗ trợ sẽ liên lạc với bạn theo cách bạn chọn, sớm nhất có thể. Họ sẽ không chia sẻ những gì bạn viết.
help-sent-urgent = Nếu bạn đang gặp nguy hiểm, hãy gọi:

country-vn = Việt Nam
country-th = Thái Lan
country-mm = Myanmar
country-kh = Campuchia
country-la = Lào
country-my = Malaysia
country-nz = New Zealand
country-kr = Hàn Quốc
country-jp = Nhật Bản
country-tw = Đài Loan
country-other = Nước khác

help-error-robot = Không nhận được yêu cầu này. Vui lòng gọi đường dây nóng.
help-error-id = Không đọc được yêu cầu này. Vui lòng tải lại trang và gửi lại.
help-error-kind = Hãy chọn việc bạn cần giúp.
help-error-country = Hãy chọn nước bạn đang ở.
help-error-channel = Hãy chọn cách chúng tôi liên lạc với bạn.
help-error-language = Hãy chọn một ngôn ngữ.
help-error-contact-missing = Hãy viết số điện thoại hoặc tên của bạn trên ứng dụng đó, để chúng tôi liên lạc được.
help-error-contact-invalid = Nội dung này quá dài hoặc có ký tự không dùng được. Tối đa 100 chữ và số.
help-error-contact-phone = Đây không giống số điện thoại. Chỉ viết chữ số, dấu cách và dấu +, ví dụ +84 912 345 678.
help-error-place = Tối đa 100 ký tự, trên một dòng.
help-error-safe-time = Tối đa 100 ký tự, trên một dòng.
help-error-name = Tối đa 60 ký tự, trên một dòng.
help-error-message = Tối đa 1000 ký tự.
help-error-ticked = Không đọc được các dấu hiệu đã đánh dấu. Hãy gửi yêu cầu mà không kèm chúng.
help-error-consent = Hãy đánh dấu vào ô đồng ý, để chúng tôi được đọc yêu cầu của bạn.
help-error-unreadable = Không đọc được yêu cầu này. Vui lòng tải lại trang và gửi lại.
help-error-not-json = Yêu cầu này không được gửi theo định dạng của ứng dụng. Vui lòng tải lại trang và gửi lại.
help-error-cross-site = Yêu cầu này không đến từ trang của ứng dụng nên chưa được gửi. Hãy mở ứng dụng và gửi từ đó.
help-error-too-large = Yêu cầu này quá dài. Hãy viết tin nhắn ngắn hơn.
help-error-too-many = Có quá nhiều yêu cầu từ kết nối này trong lúc này. Vui lòng đợi một phút rồi gửi lại, hoặc gọi đường dây nóng nếu việc gấp.
help-error-unavailable = Hiện dịch vụ chưa nhận được yêu cầu. Vui lòng thử lại sau vài phút.
help-error-id-reused = Yêu cầu này đã được gửi trước đó với câu trả lời khác, nên lần này chưa được gửi. Vui lòng kiểm tra câu trả lời rồi gửi lại.

# Khi có JavaScript: hộp thư chờ trên điện thoại.
help-keep-label = Giữ mã số trên điện thoại này sau khi gửi
help-saved = Đã lưu trên điện thoại. Yêu cầu sẽ tự gửi đi khi bạn có mạng.
help-saved-delete = Xóa khỏi điện thoại này
help-refused = Yêu cầu này chưa được gửi: có câu trả lời cần sửa. Vui lòng sửa các câu trả lời được đánh dấu bên dưới rồi gửi lại, hoặc xóa yêu cầu.
help-refused-note = Có một yêu cầu hỗ trợ trên điện thoại này chưa được gửi. Mở ra để sửa.
help-kept-title = Các mã số của bạn
