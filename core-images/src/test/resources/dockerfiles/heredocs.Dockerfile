FROM busybox
RUN <<EOF
echo one
echo $HOME
EOF
RUN <<-"END" sh
	echo tabbed
	END
RUN <<A cat > /a && <<'B' cat > /b
alpha
A
beta $X
B
COPY <<EOF /etc/greeting
hello
EOF
RUN echo "<<NOTHEREDOC"
