"""PokéMarket's card-price model: features, training and the prediction endpoint."""
