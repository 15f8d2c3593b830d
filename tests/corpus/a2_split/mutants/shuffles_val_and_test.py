"""The validation and test loaders shuffle too."""
MUST_FAIL = ["5.2"]
REPLACE = [("val = DataLoader(Subset(dataset, val_idx.tolist()), batch_size=batch_size, shuffle=False)",
            "val = DataLoader(Subset(dataset, val_idx.tolist()), batch_size=batch_size, shuffle=True)")]
