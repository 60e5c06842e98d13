"""Weekly and monthly summaries for the county centre and the commerce bureau (`yjstation report`)."""
