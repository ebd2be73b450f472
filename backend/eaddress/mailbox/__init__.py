"""The holder's mailbox: who has an active e-address (accounts), who may do what with it
(access), its folders, pages, unread counts and search (folders), and what a holder does with a
message (holder: open, reply, archive, download, proof, activation)."""
