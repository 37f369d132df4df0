# make_queues.py — writes queues.jsonl, the hand-made run-queue trace the model tests
# replay (python3 make_queues.py queues.jsonl). Line numbers in comments are file lines.
import json, sys
H={"format":"gmpscope-trace","version":1,"program":"queues","gomaxprocs":2,"ncpu":2,"clock":"ns since trace start"}
E=[]
def e(ev,ts,m,p,g,**a):
    d={"ev":ev,"ts":ts,"m":m,"p":p,"g":g}
    for k,v in a.items(): d[k.rstrip('_')]=v
    E.append(d)
e("ProcsChange",10,0,-1,-1,procs=2)
e("ProcStart",20,0,0,-1)
e("MStart",30,1,-1,-1,parent=0)
e("ProcStart",40,1,1,-1)
e("MStart",50,2,-1,-1,parent=0)
e("GoCreate",60,0,0,-1,newg=1,label="main")
e("RunqPut",61,0,0,-1,gp=1,where="runnext",kicked=-1)
e("RunqGet",70,0,0,-1,gp=1,src="runnext",batch=[])
e("GoStart",80,0,0,1,inherit=1)                       # line 10
e("GoCreate",100,0,0,1,newg=2,label="worker")
e("RunqPut",101,0,0,1,gp=2,where="runnext",kicked=-1)
e("GoCreate",110,0,0,1,newg=3,label="worker")
e("RunqPut",111,0,0,1,gp=3,where="runnext",kicked=2)
e("RunqPut",112,0,0,1,gp=2,where="local",kicked=-1)   # line 15
e("GoCreate",120,0,0,1,newg=4,label="worker")
e("RunqPut",121,0,0,1,gp=4,where="runnext",kicked=3)
e("RunqPut",122,0,0,1,gp=3,where="local",kicked=-1)
e("GoCreate",130,0,0,1,newg=5,label="worker")
e("RunqPut",131,0,0,1,gp=5,where="runnext",kicked=4)  # line 20
e("RunqPutSlow",132,0,0,1,gs=[2,4])
e("MSpinStart",140,1,1,-1)
e("RunqSteal",141,1,1,-1,victim=0,gs=[3],runnext=0)
e("RunqGet",142,1,1,-1,gp=3,src="steal",batch=[])
e("MSpinStop",143,1,1,-1)                              # line 25
e("GoStart",150,1,1,3,inherit=0)
e("SysmonTick",160,2,-1,-1,sleep=20000)
e("SysmonPreempt",170,2,-1,-1,gp=1,pp=0,ran=90,async_=1)
e("GoStop",180,0,0,1,reason="preempted")
e("RunqPut",181,0,0,-1,gp=1,where="global",kicked=-1) # line 30
e("RunqGet",190,0,0,-1,gp=5,src="runnext",batch=[])
e("GoStart",200,0,0,5,inherit=1)
e("GoSyscallBegin",210,1,1,3,blocking=0)
e("GoSyscallEnd",230,1,1,3)
e("GoBlock",240,1,1,3,reason="IO wait")               # line 35
e("RunqGet",250,1,1,-1,gp=2,src="global",batch=[4])
e("GoStart",260,1,1,2,inherit=0)
e("GoEnd",270,0,0,5)
e("RunqGet",280,0,0,-1,gp=1,src="global_fair",batch=[])
e("GoStart",290,0,0,1,inherit=0)                      # line 40
e("GoEnd",300,1,1,2)
e("RunqGet",310,1,1,-1,gp=4,src="local",batch=[])
e("GoStart",320,1,1,4,inherit=0)
e("GoSyscallBegin",330,0,0,1,blocking=1)
e("ProcStop",331,0,0,1)                               # line 45
e("HandoffP",332,0,-1,1,pp=0)
e("GoEnd",340,1,1,4)
e("GoUnblock",350,1,1,-1,gp=3)
e("RunqGet",351,1,1,-1,gp=3,src="netpoll",batch=[])
e("GoStart",360,1,1,3,inherit=0)                      # line 50
e("GoSyscallEndBlocked",370,0,-1,1)
e("RunqPut",371,0,-1,-1,gp=1,where="global",kicked=-1)
e("MPark",380,0,-1,-1)
e("MUnpark",385,1,1,3,mp=0,pp=0)
e("ProcStart",386,0,0,-1)                             # line 55
e("GoEnd",390,1,1,3)
e("RunqGet",400,0,0,-1,gp=1,src="global",batch=[])
e("GoStart",410,0,0,1,inherit=0)
e("GoEnd",420,0,0,1)                                  # line 59
H["events"]=len(E)
with open(sys.argv[1],"w") as f:
    f.write(json.dumps(H,separators=(',',':'))+"\n")
    for d in E: f.write(json.dumps(d,separators=(',',':'))+"\n")
