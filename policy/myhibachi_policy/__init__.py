"""The My Hibachi CrossGuard policy pack: policies by area, built into a pack by `index`."""
