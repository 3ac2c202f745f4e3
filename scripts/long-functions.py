#!/usr/bin/env python3
"""Lists Rust functions longer than N lines, marking those with a `// Long:` reason above them.

Usage: scripts/long-functions.py 80 src cli/src src-tauri/src bench/src src-tauri/tests cli/tests tests
"""
import re,sys,os
# A function runs from its `fn` line to its matching closing brace.
N=int(sys.argv[1]); roots=sys.argv[2:]
for root in roots:
  for dp,dn,fn in os.walk(root):
    for f in fn:
      if not f.endswith('.rs'): continue
      p=os.path.join(dp,f); lines=open(p).read().split('\n')
      i=0
      while i<len(lines):
        l=lines[i]
        m=re.match(r'\s*(pub(\([^)]*\))?\s+)?(async\s+)?(const\s+)?(unsafe\s+)?fn\s+(\w+)',l)
        if m and not l.strip().endswith(';'):
          depth=0; started=False; j=i
          while j<len(lines):
            s=re.sub(r'"(\\.|[^"\\])*"','""',lines[j]); s=re.sub(r"'(\\.|[^'\\])'","''",s); s=s.split('//')[0]
            for c in s:
              if c=='{': depth+=1; started=True
              elif c=='}': depth-=1
            if started and depth<=0: break
            if not started and s.strip().endswith(';'): break
            j+=1
          n=j-i+1
          if n>N:
            prev='\n'.join(lines[max(0,i-4):i+1])
            reason='REASON' if re.search(r'(?i)// long|one pass over',prev) else ''
            print(f"{n:4d} {p}:{i+1} {m.group(6)} {reason}")
        i+=1
