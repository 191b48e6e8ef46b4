"""Median time of tomllib.loads on one file, in milliseconds: python3 tomllib_parse.py FILE ITERATIONS"""
import statistics
import sys
import time
import tomllib

path, iterations = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
tomllib.loads(text)
times = []
for _ in range(iterations):
    start = time.perf_counter()
    tomllib.loads(text)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.3f}")
