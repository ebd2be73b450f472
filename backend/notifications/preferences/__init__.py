"""What a person chose and where they can be reached: choices per subject, category and
channel, quiet hours and language (choices), contact points and their verification
(contacts, addresses), push subscriptions (devices) and one-click unsubscribe links."""
