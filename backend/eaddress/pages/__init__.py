"""The holder's mailbox pages: `/mail`, a message, its files and its proof."""
