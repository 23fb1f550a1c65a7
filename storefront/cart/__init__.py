"""Cart: one cart per shopper (session or account), its lines and the rules for changing them."""
