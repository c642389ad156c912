# Chuỗi giao diện dùng chung cho mọi trang.

app-name = Hộ chiếu Di cư An toàn
language-name = Tiếng Việt
language-switcher-label = Ngôn ngữ
skip-to-content = Đến nội dung chính
nav-label = Các mục
nav-home = Trang chủ
nav-checklists = Tự kiểm tra
nav-guides = Cách đi hợp pháp
nav-contacts = Đường dây nóng
nav-help = Xin giúp đỡ

quick-exit = Thoát nhanh
quick-exit-hint = Rời ứng dụng ngay, sang một trang thời tiết. Bấm Esc hai lần cũng vậy.

home-title = Đi làm việc ở nước ngoài an toàn
home-intro = Kiểm tra một lời mời làm việc, tìm hiểu cách đi hợp pháp, và biết gọi ai khi gặp chuyện. Miễn phí, riêng tư, dùng được cả khi không có mạng.
home-checklists-title = Lời mời làm việc này có an toàn không?
home-checklists-text = Đánh dấu những dấu hiệu bạn thấy và xem chúng có nghĩa là gì.
home-guides-title = Cách đi hợp pháp
home-guides-text = Các bước và chi phí chính thức để đi New Zealand, Thái Lan, Hàn Quốc, Nhật Bản và Đài Loan.
home-contacts-title = Đường dây nóng
home-contacts-text = Các số điện thoại miễn phí để xin giúp đỡ, theo từng nước.
home-help-title = Xin giúp đỡ
home-help-text = Gửi tin nhắn cho một tổ chức hỗ trợ. Không cần tài khoản.
home-safety-title = Nếu có người đang theo dõi bạn
home-safety-text = Bấm nút đỏ "Thoát nhanh" ở đầu mỗi trang: một trang thời tiết thay ngay cho ứng dụng, và nút Quay lại không mở lại ứng dụng. Ứng dụng này không theo dõi bạn và không chia sẻ gì với ai.
home-safety-keys = Trên máy tính, bấm Esc hai lần cũng vậy.

back-home = Về trang chủ

not-found-title = Không tìm thấy trang
not-found-text = Chúng tôi không tìm thấy trang này. Có thể trang đã được chuyển đi chỗ khác.
unavailable-text = Hiện ứng dụng chưa hiển thị được trang này. Vui lòng thử lại sau vài phút.

footer-privacy = Ứng dụng này không theo dõi bạn. Những gì bạn đọc hay đánh dấu ở đây không được gửi đi đâu cả.

# Dùng khi không có mạng. Tên ứng dụng trên màn hình điện thoại: nên ngắn.
app-short-name = Hộ chiếu
offline-link = Dùng khi không có mạng
offline-title = Dùng ứng dụng khi không có mạng
offline-intro = Lưu ứng dụng này trên điện thoại. Sau đó bạn mở và dùng được cả khi không có sóng. Hãy chọn ngôn ngữ muốn lưu.
offline-languages = Ngôn ngữ lưu trên điện thoại này
offline-size = Cần tải: khoảng { $size }
offline-keep = Lưu để dùng không cần mạng
offline-progress = Tiến độ tải
offline-ready = Đã sẵn sàng dùng không cần mạng. Cập nhật lần cuối: { $date }.
offline-status-none = Chưa lưu trên điện thoại này.
offline-error = Việc tải bị dừng. Sẽ tải tiếp khi bạn có mạng lại.
offline-unsupported = Trình duyệt này không lưu được ứng dụng để dùng không cần mạng. Bạn vẫn đọc được khi có mạng.
offline-persist-granted = Điện thoại này sẽ giữ ứng dụng, cả khi bộ nhớ gần đầy.
offline-persist-denied = Điện thoại có thể xóa ứng dụng đã lưu khi bộ nhớ gần đầy. Thỉnh thoảng hãy mở ứng dụng để giữ nó lại.
offline-fallback = Trang này chưa được lưu trên điện thoại. Hãy kết nối mạng để mở, hoặc mở một trang khác trong menu.
offline-indicator = Bạn đang không có mạng. Các trang đã lưu vẫn dùng được.
offline-cached-age = Bạn đang đọc bản lưu trên điện thoại ngày { $date }.
offline-audio = Lưu cả âm thanh
offline-audio-size = Lưu cả âm thanh ({ $size })
update-ready = Đã có nội dung mới.
update-reload = Xem ngay

# The neutral page quick exit goes to without a network: it must not name the app.
neutral-title = Thời tiết
neutral-text = Không tải được dự báo thời tiết. Hãy kiểm tra kết nối mạng rồi thử lại.

# The share page: the app's address as a QR code.
share-link = Chia sẻ ứng dụng này
share-title = Chia sẻ ứng dụng này
share-intro = Cho người khác xem mã này: họ hướng camera điện thoại vào mã để mở ứng dụng bằng ngôn ngữ này.
share-hint = Chỉ cần mở một lần khi có mạng: sau đó ứng dụng dùng được cả khi không có mạng.
share-hub-expired = Chứng chỉ của trạm này cho { $name } đã hết hạn: điện thoại đọc được ứng dụng ở đây nhưng không lưu được để dùng khi không có mạng. Chứng chỉ sẽ được gia hạn khi trạm kết nối lại với máy chủ của tổ chức.
share-hub-no-certificate = Trạm này chưa có chứng chỉ cho { $name }: điện thoại đọc được ứng dụng ở đây nhưng không lưu được để dùng khi không có mạng. Chứng chỉ sẽ đến khi trạm kết nối lại với máy chủ của tổ chức.
share-button = Chia sẻ đường dẫn
share-text = Thông tin để đi làm việc ở nước ngoài an toàn, bằng ngôn ngữ của bạn.
booklet-link = In sổ tay an toàn
booklet-title = Sổ tay an toàn
guide-frontline-link = Dành cho nhân viên cộng đồng: cách giúp đỡ
booklet-intro = Các danh sách kiểm tra, cách đi hợp pháp và số điện thoại cần gọi, trong một cuốn sổ nhỏ.
booklet-scan = Quét mã này để mở ứng dụng bằng ngôn ngữ của bạn. Mở một lần khi có mạng: sau đó ứng dụng dùng được cả khi không có mạng.
booklet-safety = Nếu có người kiểm soát điện thoại hoặc giấy tờ của bạn, hãy cất cuốn sổ này ở nơi họ không tìm thấy.
booklet-print-hint = In trên giấy A6, hoặc giấy A4 với bốn trang trên một tờ, rồi gấp hoặc cắt.
booklet-print = In
booklet-if-ticked = Nếu bạn đánh dấu bất kỳ điều nào ở trên:
booklet-if-unticked = Nếu bạn chưa đánh dấu được tất cả:
booklet-hours = Giờ trả lời: { $hours }

failed-title = Đã xảy ra lỗi
failed-text = Đã có lỗi từ phía chúng tôi. Hãy quay lại và thử lại sau ít phút.

listen = Nghe
listen-voice = Nghe bằng giọng đọc của điện thoại
listen-all = Nghe tất cả
listen-stop = Dừng
listen-headphones = 🎧 Có người khác ở gần? Hãy dùng tai nghe.
