# Thông báo về quyền riêng tư, và "xóa khỏi điện thoại này".

privacy-link = Quyền riêng tư, và xóa dữ liệu trên điện thoại
privacy-title = Quyền riêng tư: ứng dụng này lưu những gì
privacy-intro = Bạn dùng ứng dụng này mà không cần tài khoản. Dưới đây là mọi thứ ứng dụng lưu lại, lưu ở đâu và trong bao lâu.
privacy-phone-title = Trên điện thoại này
privacy-phone = Ứng dụng nhớ ngôn ngữ bạn đã chọn. Nếu bạn giữ ứng dụng để dùng khi không có mạng, các trang được lưu trong trình duyệt này. Yêu cầu hỗ trợ chờ trên điện thoại cho đến khi được gửi đi, rồi bị xóa; chỉ còn lại mã số, và chỉ khi bạn chọn giữ mã số. Những gì bạn đánh dấu trong danh sách kiểm tra không bao giờ được lưu.
privacy-request-title = Khi bạn gửi yêu cầu hỗ trợ
privacy-request = Yêu cầu chỉ gồm những gì bạn viết trong biểu mẫu: loại hỗ trợ, quốc gia và nơi ở, cách và thời gian liên hệ với bạn, tên hoặc biệt danh nếu bạn ghi, lời nhắn của bạn, và các dấu hiệu trong danh sách kiểm tra mà bạn chọn gửi. Không có thông tin nào khác về bạn hay điện thoại của bạn được gửi đi.
privacy-who-title = Ai được xem
privacy-who = Chỉ nhân viên của tổ chức hỗ trợ vận hành ứng dụng này mới mở được yêu cầu của bạn. Mỗi lần một người mở hoặc thay đổi yêu cầu, việc đó đều được ghi lại.
privacy-kept-title = Lưu trong bao lâu
privacy-kept = Khi nhân viên đóng yêu cầu của bạn, yêu cầu sẽ bị xóa sau { $days } ngày. Yêu cầu không bao giờ được đóng sẽ bị xóa { $open } ngày sau khi đến.
privacy-delete-title = Cách xóa
privacy-delete = Để xóa mọi thứ ứng dụng đã lưu trên điện thoại này, hãy dùng "Xoá dữ liệu trên điện thoại này" ở dưới. Để yêu cầu đã gửi được xóa sớm hơn, hãy nói với nhân viên hỗ trợ liên hệ với bạn và cho họ mã số của bạn.
privacy-no-tracking = Ứng dụng này không có quảng cáo, không đếm người truy cập và không tải gì từ trang web khác.
clear-title = Xoá dữ liệu trên điện thoại này
clear-text = Việc này xóa mọi thứ ứng dụng đã lưu trong trình duyệt này: các trang được giữ để dùng khi không có mạng, ngôn ngữ bạn chọn, và yêu cầu hỗ trợ chưa gửi. Sau đó ứng dụng đóng lại và hiện một trang web bình thường. Việc này không xóa lịch sử của trình duyệt: hãy xóa lịch sử trong phần cài đặt của trình duyệt.
clear-button = Xoá dữ liệu trên điện thoại này
clear-unsent = Có một yêu cầu hỗ trợ trên điện thoại này chưa được gửi. Nếu bạn xóa bây giờ, yêu cầu đó sẽ mất.
clear-anyway = Vẫn xóa
clear-keep = Giữ lại, chưa xóa
privacy-exit-title = Thoát nhanh
privacy-exit = Nút màu đỏ ở đầu mỗi trang, hoặc bấm Esc hai lần, sẽ rời ứng dụng ngay và mở một trang thời tiết, hoặc một trang thời tiết đơn giản khi không có mạng. Trang bạn đang xem bị thay thế, nên nút Quay lại không trở về trang đó. Thoát nhanh không giấu được mọi thứ: những trang bạn mở trước đó vẫn còn trong lịch sử của trình duyệt. Để không để lại lịch sử, hãy mở ứng dụng trong thẻ ẩn danh, hoặc xóa lịch sử trong phần cài đặt của trình duyệt.
privacy-sealed-title = Được khóa để chỉ đúng nhân viên mới đọc được
privacy-sealed = Những gì bạn viết được khóa (mã hóa) trước khi lưu, trên máy tính của tổ chức. Chỉ nhân viên đã được cấp quyền mới mở khóa được, mỗi người bằng mật khẩu của riêng mình. Nếu ai đó lấy hoặc sao chép máy tính đó, họ chỉ thấy loại hỗ trợ, quốc gia, ngôn ngữ, cách bạn chọn để được liên hệ (ví dụ Zalo, nhưng không thấy số hay tài khoản của bạn), thời gian yêu cầu đến và tiến độ xử lý. Họ không thấy tên, số điện thoại, nơi ở, lời nhắn của bạn hay các dấu hiệu bạn đã gửi.
privacy-sealed-lost = Tổ chức giữ một khóa khôi phục trên giấy, để có thể cấp lại quyền cho nhân viên nếu ai đó quên mật khẩu. Nếu mọi mật khẩu của nhân viên và khóa khôi phục đều bị mất, sẽ không ai mở được các yêu cầu nữa, kể cả tổ chức: chúng sẽ mất hẳn.
