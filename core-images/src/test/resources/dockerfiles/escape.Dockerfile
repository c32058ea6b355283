# escape=`

FROM busybox
COPY testfile.txt c:\
RUN dir c:\ `
    more
