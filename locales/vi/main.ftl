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
home-safety-text = Bấm "Thoát nhanh" ở đầu trang, hoặc bấm Esc hai lần. Ứng dụng này không theo dõi bạn và không chia sẻ gì với ai.

coming-soon-text = Phần này đang được viết. Bạn hãy quay lại sau nhé.
back-home = Về trang chủ

not-found-title = Không tìm thấy trang
not-found-text = Chúng tôi không tìm thấy trang này. Có thể trang đã được chuyển đi chỗ khác.

footer-privacy = Ứng dụng này không theo dõi bạn. Những gì bạn đọc hay đánh dấu ở đây không được gửi đi đâu cả.
