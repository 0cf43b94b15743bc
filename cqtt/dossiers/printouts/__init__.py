"""What the one-stop puts on paper or in a spreadsheet: the slips (Mẫu 01–03), the control slip and the tracking
book as PDF (`printing`), the xlsx registers (`exports`), and the staff pages that serve them (`views`)."""
