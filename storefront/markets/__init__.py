"""Markets: currencies and money formatting, destinations (countries), and the request's market choice."""
