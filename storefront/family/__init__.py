"""Family: links between relatives, pay-for-me requests and monthly allowances."""
