"""epoch_batches always appends the remainder, so an exact multiple of batch_size gets an empty last batch."""
MUST_FAIL = ["6.4"]
REPLACE = [("    return list(torch.split(shuffled, batch_size))",
            "    full = len(shuffled) // batch_size * batch_size\n"
            "    return list(torch.split(shuffled[:full], batch_size)) + [shuffled[full:]]")]
